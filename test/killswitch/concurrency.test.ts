/**
 * State writes use the contents API's optimistic concurrency: a conflict is re-read and retried,
 * and no log entry is lost or doubled. Branch protection that refuses a direct write is said out
 * loud, and the same change arrives as a pull request instead.
 */
import { describe, expect, it } from "vitest";
import { appendLog } from "../../src/core/killswitch/state-text.js";
import { entries, switches, useNock, world } from "./harness.js";
import { requestIn } from "../support/identity.js";

describe("two activations at the same moment", () => {
  useNock();

  it("both end up in the log, in order, though the second write of each file got a 409", async () => {
    const w = await world();
    await Promise.all([
      w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing", { id: 1 }),
      w.say("omar-oncall", "/killswitch activate workspace:acme error-rate-10 acme errors at 12%", { id: 2 }),
    ]);
    const conflicts = w.fake.puts.filter((p) => p.status === 409).map((p) => p.path);
    expect(conflicts).toEqual(["governance/state/killswitch.yml", "governance/state/log.yml"]);
    // Both entries, once each, in the order their writes landed (whichever racer wrote first).
    const landed = w.fake.puts.filter((p) => p.path.endsWith("log.yml") && p.status === 200);
    const first = (landed[0]!.yaml.entries as { id: string }[]).map((e) => e.id);
    expect(first).toHaveLength(1);
    const second = first[0] === "activate-1" ? "activate-2" : "activate-1";
    expect(entries(w.fake).map((e) => e.id)).toEqual([first[0], second]);
    expect(switches(w.fake)).toMatchObject({ global: { active: true, by: "olga-oncall" }, "workspace:acme": { active: true, by: "omar-oncall" } });
    // the retry re-read the file at the default branch and sent its fresh blob sha
    const retried = w.fake.puts.filter((p) => p.path.endsWith("log.yml"));
    expect(retried.map((p) => p.status)).toEqual([200, 409, 200]);
    expect(retried[2]!.sha).not.toBe(retried[1]!.sha);
    expect(w.fake.count("GET", /contents\/governance\/state\/log\.yml$/)).toBe(1);
  });

  it("a write that loses to another writer (409) re-reads, appends its entry after the other one, never twice", async () => {
    const w = await world();
    // Another Charter instance appends its entry just before our log write lands.
    const other = { id: "activate-999", timestamp: "2025-06-02T09:59:59Z", action: "activate" as const, actor: "omar-oncall", scope: "workspace:acme", scenario: "error-rate-20", severity: "P2", reason: "acme", approval: "not required (activate first)", notified: ["ana-owner"] };
    w.fake.fail("PUT", /log\.yml$/, 409, "governance/state/log.yml does not match", {
      before: () => {
        w.fake.write("main", { "state/log.yml": appendLog(other).edit(w.fake.file("state/log.yml")) });
      },
    });
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing", { id: 3 });
    expect(entries(w.fake).map((e) => e.id)).toEqual(["activate-999", "activate-3"]);
    expect(w.lastReply()).toContain("is **active**");
  });

  it("gives up after 5 attempts, says so, and a repeat of the command is safe", async () => {
    const w = await world();
    w.fake.fail("PUT", /killswitch\.yml$/, 409, "does not match", { times: 5 });
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing", { id: 4 });
    expect(w.fake.count("PUT", /killswitch\.yml$/)).toBe(5);
    expect(w.lastReply()).toContain("Charter could not record this: governance/state/killswitch.yml kept changing under Charter (5 attempts). Nothing more was written; run the command again (it is safe to repeat).");
    expect(w.fake.reactions.at(-1)).toMatchObject({ content: "confused" });
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing", { id: 4 });
    expect(entries(w.fake).map((e) => e.id)).toEqual(["activate-4"]);
  });
});

describe("branch protection refuses the app's direct write", () => {
  useNock();

  it("says so on the issue and opens a pull request with the same change; nothing is dropped", async () => {
    const w = await world();
    w.fake.fail("PUT", /killswitch\.yml$/, 409, "Repository rule violations found\n\nChanges must be made through a pull request.");
    const { id } = await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing");
    expect(switches(w.fake).global).toEqual({ active: false });
    const pr = w.fake.pulls[0]!;
    expect(pr.head).toBe(`charter/activate-global-${id}`);
    expect(switches(w.fake, pr.head).global).toMatchObject({ active: true, scenario: "error-rate-20" });
    expect(entries(w.fake, pr.head).map((e) => e.id)).toEqual([`activate-${id}`]);
    expect(pr.body).toContain("**the kill-switch is not active until it is merged.** Merge it now.");
    expect(w.lastReply()).toContain(`branch protection refused Charter's direct write (Repository rule violations found), so the kill-switch \`global\` is **NOT active yet**. I opened #${pr.number} with the same change: merge it now to activate. Notified (Ingestion Owner, within 5m): @ana-owner.`);
    expect(w.fake.reactions.at(-1)).toMatchObject({ content: "eyes" });
  });

  it("an emergency rollback refused by protection becomes the rollback pull request, with the form", async () => {
    const w = await world();
    w.fake.fail("PUT", /phase\.yml$/, 422, "Protected branch update failed for refs/heads/main.");
    await w.say("olga-oncall", "/rollback P2 emergency data at risk");
    expect(w.fake.yaml("state/phase.yml").phase).toBe("P3");
    const pr = w.fake.pulls[0]!;
    expect(requestIn(pr)).toMatchObject({ ok: true, request: { kind: "rollback", rollbackType: "emergency" } });
    expect(pr.body).toContain("**Approved by:**");
    expect(w.fake.yaml("state/phase.yml", pr.head).phase).toBe("P2");
    expect(w.lastReply()).toContain("so the rollout is **still in P3**. I opened #");
  });
});
