/**
 * The container image for server mode (Dockerfile, .dockerignore), without Docker (no engine
 * here): the Dockerfile is linted (dockerfile-utils, the linter behind the Docker language server),
 * its properties are checked, and then the image's last stage is carried out instruction by
 * instruction into a directory: its WORKDIR, its COPYs (from the build context as .dockerignore
 * filters it, and `dist/` from the build stage, i.e. `npm run build`), its RUN (the same
 * `npm ci --omit=dev`, production dependencies only), its ENV, its USER (uid 1000, as the `node`
 * user of the node images), and its CMD, exactly as written, against the local GitHub emulator:
 * /healthz answers, the HEALTHCHECK command passes, a webhook is handled, STOPSIGNAL stops it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as dockerfileUtils from "dockerfile-utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "../emulator/index.js";
import { freePort, generateAppKey } from "../e2e/support/server.js";
import { REPO, repositoryGovernance } from "../e2e/support/world.js";
import { dockerignore, execForm, parseDockerfile, parseEnv, splitFlags, type Stage } from "./dockerfile.js";
import { cleanEnv, emptyDir, exec, ROOT, VERSION } from "./support.js";
import { ensureBuilt } from "../e2e/support/build.js";

const text = readFileSync(join(ROOT, "Dockerfile"), "utf8");
const { directives, stages } = parseDockerfile(text);
const image = stages.at(-1)!;
const build = stages.find((s) => s.name === "build")!;
const sent = dockerignore(ROOT);
const of = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);
const IMAGE_UID = 1000; // the `node` user of the official node images

describe("Dockerfile: lint and properties", () => {
  it("passes the linter with no diagnostic", () => {
    expect(dockerfileUtils.validate(text)).toEqual([]);
  });

  it("is multi-stage on Node 20 slim: a build stage with the dev dependencies, then the image", () => {
    expect(directives).toEqual(["syntax=docker/dockerfile:1"]);
    expect(stages.map((s) => s.from)).toEqual(["node:20-bookworm-slim", "node:20-bookworm-slim"]);
    expect(build).toBeDefined();
    expect(of(build, "RUN").map((r) => splitFlags(r.args).rest)).toEqual(["npm ci --no-audit --no-fund --ignore-scripts", "npm run build"]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe("tsc -p tsconfig.build.json");
  });

  it("the image: production dependencies only, no ADD, runs as a non-root user, health from /healthz, exec-form CMD", () => {
    const runs = of(image, "RUN").map((r) => splitFlags(r.args));
    expect(runs.map((r) => r.rest)).toEqual(["npm ci --omit=dev --no-audit --no-fund --ignore-scripts"]);
    // npm's cache is a build-time mount, never a layer of the image
    expect(runs.map((r) => r.flags.mount)).toEqual(["type=cache,target=/root/.npm"]);
    expect(stages.flatMap((s) => of(s, "ADD"))).toEqual([]);
    const users = of(image, "USER").map((u) => u.args);
    expect(users).toEqual(["node"]);
    expect(image.instructions.at(-1)!.keyword).toBe("CMD");
    expect(image.instructions.findIndex((i) => i.keyword === "USER")).toBeGreaterThan(image.instructions.findIndex((i) => i.keyword === "RUN"));
    const health = of(image, "HEALTHCHECK")[0]!;
    expect(health.args).toMatch(/^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+\s+CMD \[/);
    expect(health.args).toContain("/healthz");
    expect(execForm(of(image, "CMD")[0]!.args)).toEqual(["node", "dist/main.js"]);
    expect(of(image, "STOPSIGNAL").map((s) => s.args)).toEqual(["SIGINT"]);
    const env = Object.assign({}, ...of(image, "ENV").map((e) => parseEnv(e.args))) as Record<string, string>;
    expect(env).toEqual({ NODE_ENV: "production", HOST: "0.0.0.0", PORT: "3000", LOG_FORMAT: "json" });
    expect(of(image, "EXPOSE").map((e) => e.args)).toEqual([env.PORT]);
  });

  it(".dockerignore sends only what the Dockerfile copies: never .env, keys, node_modules, dist or .git", () => {
    for (const secret of [".env", "charter.private-key.pem", "node_modules", "dist", ".git", "test", "governance"]) expect([secret, sent(secret)]).toEqual([secret, false]);
    const copied = stages.flatMap((s) => of(s, "COPY")).filter((c) => !splitFlags(c.args).flags.from).flatMap((c) => splitFlags(c.args).rest.split(/\s+/).slice(0, -1));
    for (const path of copied) expect([path, sent(path), existsSync(join(ROOT, path))]).toEqual([path, true, true]);
  });
});

describe("the image's command, run from the image's layout without Docker", () => {
  let gh: GitHubEmulator;
  let root: string;
  let child: ChildProcess | undefined;
  let output = "";
  let env: Record<string, string>;
  let appDir: string;
  let port: number;
  const secret = randomBytes(24).toString("hex");

  /** A path inside the image (an absolute path in the Dockerfile) → the same path under `root`. */
  const inImage = (p: string) => join(root, p);

  beforeAll(async () => {
    gh = await startEmulator({ quiet: true });
    gh.createRepo(REPO, { files: { "README.md": "# ingestion\n", ...repositoryGovernance() } });
    await ensureBuilt(); // the build stage's `npm run build`
    root = emptyDir("charter-image-");
    chmodSync(root, 0o755);
    let workdir = "/";
    const imageEnv: Record<string, string> = {};
    for (const step of image.instructions) {
      const { flags, rest } = splitFlags(step.args);
      switch (step.keyword) {
        case "ENV":
          Object.assign(imageEnv, parseEnv(rest));
          break;
        case "WORKDIR":
          workdir = rest;
          mkdirSync(inImage(workdir), { recursive: true });
          break;
        case "COPY": {
          const parts = rest.split(/\s+/);
          const dest = join(inImage(workdir), parts.at(-1)!);
          for (const src of parts.slice(0, -1)) {
            let from: string;
            if (flags.from === "build") {
              // the build stage's WORKDIR is /src and its `npm run build` wrote /src/dist
              expect(src).toBe("/src/dist");
              from = join(ROOT, "dist");
            } else {
              if (!sent(src)) throw new Error(`COPY ${src}: .dockerignore keeps it out of the build context`);
              from = join(ROOT, src);
            }
            const target = parts.at(-1)!.endsWith("/") ? join(dest, src.split("/").at(-1)!) : dest;
            mkdirSync(dirname(target), { recursive: true });
            cpSync(from, target, {
              recursive: true,
              // from dist/, only what `tsc -p tsconfig.build.json` writes (not the demo's dev build or test stamps)
              filter: (p) => flags.from !== "build" || !/[\\/]dist[\\/](dev|\.e2e-build-)/.test(p),
            });
          }
          break;
        }
        case "RUN": {
          // the same command; its cache mount (/root/.npm) is this machine's npm cache
          await exec("sh", ["-c", rest], { cwd: inImage(workdir), env: cleanEnv(imageEnv), timeout: 240_000, maxBuffer: 16 * 1024 * 1024 });
          break;
        }
        case "USER":
          expect(rest).toBe("node");
          break;
        case "EXPOSE":
        case "HEALTHCHECK":
        case "STOPSIGNAL":
        case "CMD":
          break;
        default:
          throw new Error(`Dockerfile:${step.line}: ${step.keyword} is not carried out by this test: teach it`);
      }
    }
    appDir = inImage(workdir);
    const home = join(root, "home", "node");
    mkdirSync(home, { recursive: true });
    chownSync(home, IMAGE_UID, IMAGE_UID);
    port = await freePort();
    // `docker run -e …`: the app's credentials, and GitHub (here the emulator as a GHES host)
    env = {
      PATH: process.env.PATH ?? "/usr/local/bin:/usr/bin:/bin",
      HOME: home,
      ...imageEnv,
      PORT: String(port),
      APP_ID: "1",
      PRIVATE_KEY: generateAppKey(),
      WEBHOOK_SECRET: secret,
      GHE_HOST: gh.host,
      GHE_PROTOCOL: "http",
      CHARTER_SWEEP_INTERVAL_SECONDS: "0",
    };
  }, 300_000);

  afterAll(async () => {
    child?.kill("SIGKILL");
    await gh?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("has the production dependencies only, and no sources", () => {
    const modules = readdirSync(join(appDir, "node_modules"));
    expect(modules).toContain("probot");
    for (const dev of ["typescript", "tsx", "vitest", "esbuild", "eslint", "nock"]) expect(modules).not.toContain(dev);
    expect(existsSync(join(appDir, "src"))).toBe(false);
    expect(existsSync(join(appDir, "dist", "main.js"))).toBe(true);
  });

  it("CMD as the node user: /healthz answers 200 with the version, and the HEALTHCHECK command passes", async () => {
    const [command, ...args] = execForm(of(image, "CMD")[0]!.args);
    expect(command).toBe("node");
    child = spawn(process.execPath, args, { cwd: appDir, env, uid: IMAGE_UID, gid: IMAGE_UID, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 30_000;
    let health: Response | undefined;
    while (Date.now() < deadline && child.exitCode === null) {
      health = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined);
      if (health) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!health) throw new Error(`the server did not answer /healthz:\n${output}`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", version: VERSION });
    // production logs are JSON lines
    const first = output.split("\n").find((l) => l.trim() !== "")!;
    expect(() => JSON.parse(first)).not.toThrow();

    const check = of(image, "HEALTHCHECK")[0]!.args.replace(/^.*?CMD\s+/, "");
    const [hc, ...hcArgs] = execForm(check);
    expect(hc).toBe("node");
    await expect(exec(process.execPath, hcArgs, { env, uid: IMAGE_UID, gid: IMAGE_UID, timeout: 10_000 })).resolves.toBeDefined();
  }, 60_000);

  it("handles a signed webhook: a pull request gets its Charter sign-off check", async () => {
    gh.commitFiles(REPO, "feature", { "README.md": "# ingestion\n\nMore.\n" }, "Docs", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(REPO, { head: "feature", title: "Docs", user: "rob-release" });
    const delivery = await gh.sendWebhook(`http://127.0.0.1:${port}/api/github/webhooks`, "pull_request", gh.payloads.pullRequest("opened", REPO, issue.number), { secret });
    expect(delivery.status).toBeLessThan(300);
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && !gh.listCheckRuns(REPO, pull.headSha).some((c) => c.name === "Charter sign-off" && c.status === "completed")) await new Promise((r) => setTimeout(r, 100));
    const run = gh.listCheckRuns(REPO, pull.headSha).find((c) => c.name === "Charter sign-off");
    expect(run?.status, output).toBe("completed");
    expect(gh.violations).toEqual([]);
  }, 60_000);

  it("wrote nothing into the image's directories, and STOPSIGNAL stops it cleanly", async () => {
    const owners = new Set<number>();
    const walk = (d: string) => {
      for (const name of readdirSync(d)) {
        const p = join(d, name);
        const st = statSync(p);
        owners.add(st.uid);
        if (st.isDirectory() && name !== "node_modules") walk(p);
      }
    };
    walk(appDir);
    expect([...owners]).toEqual([0]); // root-owned, as COPY leaves them: the app cannot change itself
    const signal = of(image, "STOPSIGNAL")[0]!.args as NodeJS.Signals;
    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child!.kill(signal);
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 10_000))]);
    expect(code, output).toBe(0);
    child = undefined;
    expect(relative(root, appDir)).toBe("app");
  }, 20_000);
});
