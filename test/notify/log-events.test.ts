/**
 * The activation log's events sent to their routes (D9 §5.2, §7.1): through the real app against
 * the GitHub emulator, with a real loopback Slack receiver for #ingestion-rollout. A kill-switch
 * activation that needs approval sends `killswitch.activated` and `approval.needed` as soon as its
 * log entry is pushed; the approval sends `killswitch.approved`; nothing is sent twice across a
 * redelivered push, a sweep and a restart. The message of each log action, from the core.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { entryEvents, isGaPhase } from "../../src/core/notify/log-events.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { logEventsTask } from "../../src/reconcile/log-events.js";
import { repositoryGovernance } from "../e2e/support/world.js";
import { REPO, World } from "../handoff/support/world.js";
import { HttpReceiver } from "./support/receivers.js";

let w: World;
let slack: HttpReceiver;
let ops: number;

const section = (x: { json?: unknown }) => (x.json as { blocks: { text?: { text: string } }[] }).blocks[0]!.text!.text;
const titles = () => slack.received.map((x) => (x.json as { text: string }).text);

beforeAll(async () => {
  slack = await HttpReceiver.start("ok");
  const files: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance({ notify: true }) };
  files["governance/notify.yml"] = `${files["governance/notify.yml"]!}  - events: [approval.needed]\n    to: [ingestion-rollout]\n    note: "approvals are asked for in #ingestion-rollout"\n`;
  w = await World.start({ start: "2025-06-02T10:00:00Z", files, env: { CHARTER_SLACK_INGESTION_ROLLOUT_URL: `${slack.url}/services/T0/B0/x` }, tasks: [logEventsTask] });
  ops = await w.openIssue("olga-oncall", { title: "Error rate at 12%", body: "uploads failing" });
});

afterAll(async () => {
  await w?.stop();
  await slack?.stop();
});

describe("kill-switch events reach their routes", () => {
  it("an activation needing approval: killswitch.activated and approval.needed in #ingestion-rollout, at once (no sweep)", async () => {
    await w.comment("olga-oncall", ops, "/killswitch activate global error-rate-10 error rate 12%");
    await w.settleChannels();
    expect(titles()).toEqual(["acme/ingestion: kill-switch global activated by olga-oncall", "acme/ingestion: approval needed: kill-switch global"]);
    expect(section(slack.received[0]!)).toBe("Kill-switch `global` activated at 10:00 UTC by olga-oncall (Error rate &gt; 10%): error rate 12%.\nSeverity: P2.\nApproval: pending: Ingestion Owner within 15m (due 2025-06-02T10:15:00Z).");
    expect(section(slack.received[1]!)).toContain("The activation of `global` by olga-oncall at 10:00 UTC needs approval: pending: Ingestion Owner within 15m");
    const note = w.botComments(ops).find((b) => b.includes("🛑 Kill-switch activated"))!;
    expect(note).toContain("📣 Sent to Slack #ingestion-rollout 10:00 UTC");
  });

  it("the approval: killswitch.approved", async () => {
    w.at("2025-06-02T10:06:00Z");
    await w.comment("ana-owner", ops, "/killswitch approve global");
    await w.settleChannels();
    expect(titles().at(-1)).toBe("acme/ingestion: kill-switch global approved by ana-owner");
  });

  it("exactly once: a redelivered push, a sweep and a restarted process send nothing again", async () => {
    await w.deliver("push", w.gh.payloads.push(REPO, "main", { before: "0".repeat(40), sender: "charter[bot]" }));
    await w.sweep();
    await w.restart();
    w.at("2025-06-02T10:20:00Z");
    const r = await w.sweep();
    expect(r.reports[0]!.actions).toEqual([]);
    await w.settleChannels();
    expect(slack.received).toHaveLength(3);
    expect(w.violations).toEqual([]);
  });
});

describe("the message of each log action (core)", () => {
  const base = { id: "e1", timestamp: "2025-06-02T10:00:00Z", actor: "ana-owner", link: "https://github.com/acme/ingestion/issues/7#issuecomment-1" } as const;
  let g: Parameters<typeof entryEvents>[0];
  beforeAll(async () => {
    const { loadGovernance } = await import("../../src/load/load.js");
    const { memorySource } = await import("../../src/load/source.js");
    const files = Object.fromEntries(Object.entries(repositoryGovernance({ notify: true })).map(([k, v]) => [k.replace(/^governance\//, ""), v]));
    const r = await loadGovernance(memorySource(files));
    if (!r.ok) throw new Error("invalid");
    g = r.governance;
  });
  const events = (e: Partial<LogEntry>) => entryEvents(g, "acme/ingestion", { ...base, action: "activate", ...e } as LogEntry).map((x) => [x.event, x.message.title, x.issue]);

  it("GA declared: an advance into the GA phase only (its gate's title), with the record on the linked thread", () => {
    expect(isGaPhase(g, "P4")).toBe(true);
    expect(isGaPhase(g, "P3")).toBe(false);
    expect(events({ action: "advance", from_phase: "P3", to_phase: "P4" })).toEqual([["ga.declared", "acme/ingestion: GA declared (P3 → P4)", 7]]);
    expect(events({ action: "advance", from_phase: "P2", to_phase: "P3" })).toEqual([]);
  });

  it("resumed; a sign-off requested (approval needed); nothing for rejections and rollbacks themselves", () => {
    expect(events({ action: "resume", scope: "global", reason: "fixed" })).toEqual([["killswitch.resumed", "acme/ingestion: kill-switch global resumed by ana-owner", 7]]);
    expect(events({ action: "resume-requested", scope: "global" })).toEqual([["approval.needed", "acme/ingestion: approval needed: resume of global", 7]]);
    expect(events({ action: "advance-requested", to_phase: "P4" })).toEqual([["approval.needed", "acme/ingestion: approval needed: advance to P4", 7]]);
    expect(events({ action: "reject", scope: "global" })).toEqual([]);
  });

  it("a link to another repository is no place for the record; a reason cannot mention or ping a channel", () => {
    expect(events({ action: "resume", scope: "global", link: "https://github.com/evil/other/issues/7" })[0]![2]).toBeUndefined();
    const [ev] = entryEvents(g, "acme/ingestion", { ...base, action: "resume", scope: "global", reason: "<!channel> @everyone see <https://evil|here>" } as LogEntry);
    expect(ev!.message.text).not.toContain("<!channel>");
    expect(ev!.message.text).not.toMatch(/(^|\s)@everyone/);
  });
});
