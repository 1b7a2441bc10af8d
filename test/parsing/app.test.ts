/**
 * Capped user text through the app (hardening issue #10, item 15): a file on a pull request's head
 * is a claim like any other text, and the state files Charter reads from it are parsed only when
 * they fit what GitHub's contents API serves inline (1 MB). A longer one is refused in the check.
 */
import { afterEach, describe, expect, it } from "vitest";
import { closeWorld, SignoffWorld } from "../signoff/world.js";

afterEach(closeWorld);

describe("a state file on a pull request's head is capped before it is parsed", () => {
  it("a proposed governance/state/phase.yml longer than 1 MB is not parsed: the check refuses it and says why", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 61, author: "rob-release", files: { "governance/state/phase.yml": `version: 1\nphase: P2\n# ${"x".repeat(1_100_000)}\n` } });
    await w.pullEvent("opened", 61);
    const check = w.lastCheck();
    expect(check).toMatchObject({
      conclusion: "failure",
      output: { title: "Phase change refused: the proposed governance/state/phase.yml is invalid: it is longer than 1,048,576 characters, so Charter does not read it" },
    });
  });
});
