import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    globalSetup: ["test/setup/redis.ts"],
    setupFiles: ["test/setup/openapi-guard.ts", "test/setup/webhook-guard.ts"],
  },
});
