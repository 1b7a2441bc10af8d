import { describe, expect, it } from "vitest";
import { TeamMembersCache } from "../../src/github/signoff/teams.js";

const now = new Date("2026-12-06T10:00:00Z");

describe("team members read once by evaluations running together", () => {
  it("shares one read in flight, then answers from the cache", async () => {
    const cache = new TeamMembersCache();
    let reads = 0;
    let answer!: (members: string[]) => void;
    const read = () => {
      reads++;
      return new Promise<string[]>((r) => (answer = r));
    };
    const first = cache.members("acme/SRE", now, read);
    const second = cache.members("acme/sre", now, read);
    answer(["sam-sre"]);
    expect(await first).toEqual(["sam-sre"]);
    expect(await second).toEqual(["sam-sre"]);
    expect(await cache.members("acme/sre", now, read)).toEqual(["sam-sre"]);
    expect(reads).toBe(1);
  });

  it("does not keep a read that a membership change invalidated while it was in flight", async () => {
    const cache = new TeamMembersCache();
    let answer!: (members: string[]) => void;
    const pending = cache.members("acme/sre", now, () => new Promise<string[]>((r) => (answer = r)));
    cache.invalidate("acme/sre");
    answer(["left-the-team"]);
    expect(await pending).toEqual(["left-the-team"]);
    expect(cache.get("acme/sre", now)).toBeUndefined();
    expect(await cache.members("acme/sre", now, async () => ["sam-sre"])).toEqual(["sam-sre"]);
  });

  it("forgets a failed read (the next evaluation asks again)", async () => {
    const cache = new TeamMembersCache();
    await expect(cache.members("acme/sre", now, () => Promise.reject(new Error("502")))).rejects.toThrow("502");
    expect(await cache.members("acme/sre", now, async () => ["sam-sre"])).toEqual(["sam-sre"]);
  });

  it("is bounded: the least recently used team goes first", async () => {
    const cache = new TeamMembersCache(60_000, 2);
    for (const t of ["acme/a", "acme/b", "acme/c"]) await cache.members(t, now, async () => [t]);
    expect(cache.get("acme/a", now)).toBeUndefined();
    expect(cache.get("acme/c", now)).toEqual(["acme/c"]);
  });
});
