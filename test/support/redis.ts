/** The tests' own Redis (test/setup/redis.ts) and a key prefix no other test uses. */
import { randomBytes } from "node:crypto";

export function testRedisUrl(): string {
  const url = process.env.CHARTER_TEST_REDIS_URL;
  if (!url) throw new Error(process.env.CHARTER_TEST_REDIS_MISSING ?? "CHARTER_TEST_REDIS_URL is not set (test/setup/redis.ts did not run)");
  return url;
}

export function uniquePrefix(name: string): string {
  return `t-${name}-${randomBytes(4).toString("hex")}`;
}
