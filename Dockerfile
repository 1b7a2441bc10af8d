# syntax=docker/dockerfile:1
# Charter's server (App mode) as a container image: docs/container.md.
#
#   docker build -t charter .
#   docker run -p 3000:3000 --env-file charter.env charter
#
# Two stages: `build` compiles TypeScript with the development dependencies; the image itself has
# the compiled app and the production dependencies only, runs as the unprivileged `node` user, and
# reports its health from GET /healthz. test/package/container.test.ts lints this file and runs the
# image's command, with the image's environment, from the layout below, without Docker.

# ---- build: compile src/ to dist/ ----
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# ---- the image ----
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    LOG_FORMAT=json
WORKDIR /app
COPY package.json package-lock.json ./
# npm's cache is a build-time mount, so it never ends up in the image.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund --ignore-scripts
COPY --from=build /src/dist ./dist
COPY bin ./bin
COPY app.yml ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Probot stops its server cleanly on SIGINT (docker stop sends this instead of SIGTERM).
STOPSIGNAL SIGINT
CMD ["node", "dist/main.js"]
