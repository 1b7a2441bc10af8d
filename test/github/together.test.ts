import { describe, expect, it } from "vitest";
import { together } from "../../src/github/together.js";

describe("together (writes issued at once)", () => {
  it("answers every value in order", async () => {
    expect(await together([Promise.resolve(1), 2, new Promise<string>((r) => setTimeout(() => r("c"), 5))] as const)).toEqual([1, 2, "c"]);
  });

  it("fails only once every write has finished: a handler never returns with a write in flight", async () => {
    let slowDone = false;
    const slow = new Promise<void>((r) => setTimeout(() => ((slowDone = true), r()), 30));
    await expect(together([Promise.reject(new Error("refused")), slow] as const)).rejects.toThrow("refused");
    expect(slowDone).toBe(true);
  });
});
