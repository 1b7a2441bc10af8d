/**
 * Paging semantics users of PagerDuty and GoAlert rely on, through the real app and the fake
 * GitHub of the incident tests (D9, Mon 2025-06-02 12:00 Berlin: primary olga-oncall, secondary
 * omar-oncall, Ingestion Owner ana-owner, SRE Lead sam-sre, PM pat-pm):
 *
 * - `ack_timeout`: an acknowledgement with no `/update` or `/resolve` in time lapses; whoever
 *   acknowledged is paged again and the ladder goes on (steps it held back are paged);
 * - `ack: all`: a step whose people must each acknowledge; each acknowledgement is recorded;
 * - on PagerDuty (real loopback receivers, test/notify/support/receivers.ts), a lapse re-pages as
 *   a new alert: a trigger into the acknowledged alert with the same dedup key would notify nobody.
 */
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { cleanup, pageLines, sweepEvery, world } from "../incidents/support/world.js";
import { eventsV2Problems } from "./support/pagerduty.js";
import { ALL_CHANNELS_NOTIFY, startReceivers, type Receivers } from "./support/receivers.js";
import { notifyWorld, type NotifyWorld } from "./support/world.js";

afterEach(cleanup);

const T0 = "2025-06-02T10:00:00Z";
const D9_INCIDENTS = d9Files()["incidents.yml"]!;
const P1_LADDER = `    escalation:
      - { after: 0m, notify: [on-call-primary], note: Primary acks }
      - { after: 15m, notify: [on-call-secondary], note: Secondary joins }
      - { after: 30m, notify: [ingestion-owner], note: Ingestion Owner joins }
      - { after: 60m, notify: [sre-lead, product-manager], note: SRE Lead + PM }
`;

function incidents(ladder: string, extra = ""): Record<string, string> {
  if (!D9_INCIDENTS.includes(P1_LADDER)) throw new Error("test setup: D9's P1 ladder changed");
  const head = "    ack_within: 15m\n    assign: on-call-primary\n    backup: on-call-secondary\n";
  if (!D9_INCIDENTS.includes(head + P1_LADDER)) throw new Error("test setup: D9's P1 block changed");
  const text = D9_INCIDENTS.replace(head + P1_LADDER, `    ack_within: 15m\n${extra}    assign: on-call-primary\n    backup: on-call-secondary\n${ladder}`);
  return d9Files({ "incidents.yml": text });
}

const lines = (w: Awaited<ReturnType<typeof world>>) => pageLines(w, 12).map((p) => [p.minute, p.mentions]);

describe("ack_timeout: an acknowledgement without an update lapses", () => {
  const files = incidents(P1_LADDER, "    ack_timeout: 30m\n");

  it("/ack at +5, nothing since: at +35 it lapses; the acknowledger is paged again, and the secondary and Ingestion Owner it held back are paged now", async () => {
    const w = await world({ t0: T0, files });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 34, 1, async (m) => {
      if (m === 5) await w.say(12, "olga-oncall", "/ack");
    });
    expect(lines(w)).toEqual([[0, ["olga-oncall"]]]);
    expect(w.gh.botComments(12)[0]!.body).toContain("**Status:** 🟠 acknowledged by `olga-oncall` at 12:05 CEST (+5m); lapses 12:35 CEST without `/update`");
    await sweepEvery(w, 35, 70);
    const lapse = w.gh.posted(12).find((p) => p.body.includes("Acknowledgement lapsed"))!;
    expect(lapse.body.split("\n<!--")[0]).toBe(
      [
        "**Incident #12 (P1) is not acknowledged.** Paging the next step of the escalation ladder; `/ack` stops it.",
        "⌛ **Acknowledgement lapsed** (12:35 CEST): no `/update` or `/resolve` within 30m of the `/ack` at 12:05 CEST. @olga-oncall, the incident is not acknowledged any more: `/ack` again, or post `/update`. The ladder goes on.",
        "🔔 **Step 2 of 4 of the P1 ladder (+15m, Secondary joins)**: @omar-oncall (On-Call Secondary) — due at +15m, skipped while the incident was acknowledged; paged now that the acknowledgement lapsed",
        "🔔 **Step 3 of 4 of the P1 ladder (+30m, Ingestion Owner joins)**: @ana-owner (Ingestion Owner) — due at +30m, skipped while the incident was acknowledged; paged now that the acknowledgement lapsed",
        "",
      ].join("\n"),
    );
    expect(lines(w)).toEqual([
      [0, ["olga-oncall"]],
      [35, ["omar-oncall"]],
      [35, ["ana-owner"]],
      [60, ["sam-sre", "pat-pm"]],
    ]);
    const state = w.gh.state(12);
    expect(state.acks).toEqual([{ by: "olga-oncall", at: "2025-06-02T10:05:00.000Z", episode: 1, due: "2025-06-02T10:15:00.000Z", lapsed: "2025-06-02T10:35:00.000Z" }]);
    expect(state.pages.map((p) => [p.key, p.kind, p.late ?? ""])).toEqual([
      ["s1.0", "step", ""],
      ["t1.0", "lapse", ""],
      ["s1.1", "step", "lapsed"],
      ["s1.2", "step", "lapsed"],
      ["s1.3", "step", ""],
    ]);
    expect(w.gh.botComments(12)[0]!.body).toContain("**Status:** 🔴 open, not acknowledged (the acknowledgement lapsed)");
  });

  it("each /update holds the acknowledgement for another 30 minutes; /resolve ends it", async () => {
    const w = await world({ t0: T0, files });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 80, 1, async (m) => {
      if (m === 5) await w.say(12, "olga-oncall", "/ack");
      if (m === 25) await w.say(12, "olga-oncall", "/update identified disk full on ingest-2");
      if (m === 50) await w.say(12, "olga-oncall", "/update mitigating moving uploads to ingest-3");
    });
    const lapses = w.gh.posted(12).filter((p) => p.body.includes("Acknowledgement lapsed"));
    expect(lapses.map((p) => Math.round((Date.parse(p.at) - Date.parse(T0)) / 60_000))).toEqual([80]);
    expect(lapses[0]!.body).toContain("within 30m of the last `/update` (12:50 CEST)");
    const w2 = await world({ t0: T0, files });
    await w2.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w2, 1, 90, 1, async (m) => {
      if (m === 5) await w2.say(12, "olga-oncall", "/ack");
      if (m === 20) await w2.say(12, "olga-oncall", "/resolve a config push\nrolled back");
    });
    expect(w2.gh.posted(12).some((p) => p.body.includes("Acknowledgement lapsed"))).toBe(false);
  });

  it("a new /ack after the lapse counts, and lapses in its turn; a second /ack of the same person is answered", async () => {
    const w = await world({ t0: T0, files });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 40, 1, async (m) => {
      if (m === 5) await w.say(12, "olga-oncall", "/ack");
      if (m === 38) await w.say(12, "omar-oncall", "/ack");
    });
    await w.say(12, "omar-oncall", "/ack");
    expect(w.gh.posted(12).at(-1)!.body).toContain("incident #12 was already acknowledged by `omar-oncall` at 12:38 CEST; nothing changed.");
    await sweepEvery(w, 41, 70);
    expect(w.gh.state(12).acks.map((a) => [a.by, a.lapsed ?? ""])).toEqual([
      ["olga-oncall", "2025-06-02T10:35:00.000Z"],
      ["omar-oncall", "2025-06-02T11:08:00.000Z"],
    ]);
    // +60 (SRE Lead + PM) was held back by omar's acknowledgement, and paged when it lapsed at +68
    expect(lines(w).at(-1)).toEqual([68, ["sam-sre", "pat-pm"]]);
  });
});

describe("ack: all: everyone the step pages acknowledges", () => {
  it("the first step pages the primary and the SRE Lead; one /ack is not enough: the ladder goes on until both have", async () => {
    const files = incidents(P1_LADDER.replace("      - { after: 0m, notify: [on-call-primary], note: Primary acks }", "      - { after: 0m, notify: [on-call-primary, sre-lead], ack: all, note: Primary and SRE Lead ack }"));
    const w = await world({ t0: T0, files });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    expect(pageLines(w, 12)[0]!.line).toBe("🔔 **Step 1 of 4 of the P1 ladder (+0m, Primary and SRE Lead ack)**: @olga-oncall (On-Call Primary), @sam-sre (SRE Lead) — each of you acknowledges with `/ack`");
    await sweepEvery(w, 1, 40, 1, async (m) => {
      if (m === 5) {
        await w.say(12, "olga-oncall", "/ack");
        expect(w.gh.posted(12).at(-1)!.body.split("\n<!--")[0]).toBe("✋ **Acknowledged by @olga-oncall**; still waiting for `/ack` from `sam-sre` (everyone the step paged acknowledges).\n");
        expect(w.gh.botComments(12)[0]!.body).toContain("**Status:** 🟡 acknowledged by `olga-oncall` at 12:05 CEST (+5m); waiting for `/ack` from `sam-sre`");
        expect(w.gh.botComments(12)[0]!.body).toContain("✅ paged `olga-oncall`, `sam-sre` at 12:00 CEST on GitHub (✔ `olga-oncall`, ⏳ `sam-sre`)");
      }
      if (m === 20) await w.say(12, "sam-sre", "/ack");
    });
    // the secondary at +15 (not everyone had acknowledged), not the Ingestion Owner at +30 (everyone had by then)
    expect(lines(w)).toEqual([
      [0, ["olga-oncall", "sam-sre"]],
      [15, ["omar-oncall"]],
    ]);
    expect(w.gh.state(12).acks.map((a) => a.by)).toEqual(["olga-oncall", "sam-sre"]);
    expect(w.gh.botComments(12)[0]!.body).toContain("**Status:** 🟠 acknowledged by `olga-oncall` at 12:05 CEST (+5m), then `sam-sre` 12:20 CEST");
  });

  it("a step with ack: all paged after the acknowledgement (until: resolved) records each acknowledgement and does not bring back the steps before it", async () => {
    const files = incidents(P1_LADDER.replace("      - { after: 60m, notify: [sre-lead, product-manager], note: SRE Lead + PM }", "      - { after: 60m, notify: [sre-lead, product-manager], until: resolved, ack: all, note: SRE Lead + PM }"));
    const w = await world({ t0: T0, files });
    await w.open({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    await sweepEvery(w, 1, 75, 1, async (m) => {
      if (m === 5) await w.say(12, "olga-oncall", "/ack");
      if (m === 70) await w.say(12, "pat-pm", "/ack");
    });
    expect(lines(w)).toEqual([
      [0, ["olga-oncall"]],
      [60, ["sam-sre", "pat-pm"]],
    ]);
    const status = w.gh.botComments(12)[0]!.body;
    // the PM may not /ack in D9 (commands.ack), but a step with ack: all lets everyone it paged acknowledge
    expect(w.gh.state(12).acks.map((a) => a.by)).toEqual(["olga-oncall", "pat-pm"]);
    expect(status).toContain("**Status:** 🟡 acknowledged by `olga-oncall` at 12:05 CEST (+5m), then `pat-pm` 13:10 CEST; waiting for `/ack` from `sam-sre`");
    expect(status).toContain("| 2 | +15m (12:15 CEST) | On-Call Secondary | Secondary joins | ⏭️ not needed: acknowledged |");
    expect(status).toContain("| 4 | +1h (13:00 CEST) | SRE Lead, Product Manager | SRE Lead + PM | ✅ paged `sam-sre`, `pat-pm` at 13:00 CEST on GitHub (⏳ `sam-sre`, ✔ `pat-pm`) |");
    // someone the step did not page, and commands.ack does not name, is still refused
    await w.say(12, "amy-accounts", "/ack");
    expect(w.gh.posted(12).at(-1)!.body).toContain("run `/ack`, and `amy-accounts` is none of them now.");
  });
});

describe("ack_timeout on PagerDuty: a lapsed acknowledgement pages again, as a new alert", () => {
  let rx: Receivers;
  beforeEach(async () => {
    rx = await startReceivers();
  });
  afterEach(async () => {
    nock.cleanAll();
    await rx.stop();
  });

  const K = "charter:acme/ingestion#12";
  const pd = () => rx.pagerduty.received.map((r) => r.json as Record<string, unknown>);
  async function minutes(w: NotifyWorld, from: number, to: number, at?: (m: number) => Promise<void>): Promise<void> {
    for (let m = from; m <= to; m++) {
      w.at(m);
      await w.sweep();
      if (at) await at(m);
      await w.settle();
    }
  }

  it("secondary /ack at +20, lapse at +50: PagerDuty gets a trigger with its own dedup key (the acknowledged alert would swallow it); /ack and /resolve then reach both alerts, once", async () => {
    const w = await notifyWorld({ t0: T0, notify: ALL_CHANNELS_NOTIFY, env: rx.env, files: incidents(P1_LADDER, "    ack_timeout: 30m\n") });
    await w.open({ number: 12, title: "Ingestion is down", labels: ["incident", "severity: P1"] });
    await w.settle();
    await minutes(w, 1, 49, async (m) => {
      if (m === 20) await w.say(12, "omar-oncall", "/ack");
    });
    expect(pd().map((e) => [e.event_action, e.dedup_key])).toEqual([
      ["trigger", K],
      ["acknowledge", K],
    ]);
    await minutes(w, 50, 50);
    expect(w.gh.posted(12).some((p) => p.body.includes("⌛ **Acknowledgement lapsed** (12:50 CEST)"))).toBe(true);
    // the re-page of the acknowledger: a new alert, not a trigger into the acknowledged one
    const lapse = pd()[2]!;
    expect(eventsV2Problems(lapse)).toEqual([]);
    expect(lapse).toMatchObject({ event_action: "trigger", dedup_key: `${K}/t1.0`, payload: { summary: expect.stringContaining("the acknowledgement lapsed") } });
    expect(lapse.dedup_key).not.toBe(K);
    // a repeated sweep, a redelivered webhook and a restart send nothing again
    const count = pd().length;
    await minutes(w, 50, 51);
    await w.deliver("issues", w.gh.issuesPayload("labeled", 12, { label: "severity: P1" }), "d-again");
    await w.deliver("issues", w.gh.issuesPayload("labeled", 12, { label: "severity: P1" }), "d-again");
    await w.restart();
    await minutes(w, 52, 52);
    expect(pd()).toHaveLength(count);
    // a new /ack acknowledges the new alert (the first one is acknowledged already)
    w.at(53);
    await w.say(12, "omar-oncall", "/ack");
    await w.settle();
    // /resolve resolves both
    w.at(55);
    await w.say(12, "omar-oncall", "/resolve disk full\nexpanded the volume");
    await w.settle();
    await minutes(w, 56, 57);
    expect(pd().map((e) => [e.event_action, e.dedup_key])).toEqual([
      ["trigger", K],
      ["acknowledge", K],
      ["trigger", `${K}/t1.0`],
      ["acknowledge", `${K}/t1.0`],
      ["resolve", K],
      ["resolve", `${K}/t1.0`],
    ]);
    for (const e of pd()) expect(eventsV2Problems(e)).toEqual([]);
    expect(w.gh.state(12).notify!.deliveries.filter((d) => d.kind === "pagerduty").map((d) => [d.message, d.action, d.status])).toEqual([
      ["s1.1", "trigger", "sent"],
      ["a1.0", "acknowledge", "sent"],
      ["t1.0", "trigger", "sent"],
      ["a1.1/t1.0", "acknowledge", "sent"],
      ["x1", "resolve", "sent"],
      ["x1/t1.0", "resolve", "sent"],
    ]);
    const status = w.gh.botComments(12)[0]!.body;
    expect(status).toContain("| acknowledgement | PagerDuty (on-call secondary) | sent (acknowledged) 12:53 CEST |");
    expect(status).toContain("| resolution | PagerDuty (on-call secondary) | sent (resolved) 12:55 CEST |");
  });
});
