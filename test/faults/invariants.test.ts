/**
 * Invariants under faults (issue 7). The same script (test/faults/support/script.ts: a GA gate pull
 * request and its reviews, an incident, a refused kill-switch activation, two activations racing
 * for the same state files, a status command, two sweeps) is played against the emulator once
 * without faults and then with seeded faults, and the outcomes are compared:
 *
 * - GitHub failing requests (500/502, timeouts, 409, secondary rate limits), deliveries exactly once:
 *   no crash, bounded retries, no duplicate comment or log entry, no lost log entry, no command
 *   lost silently, and after one reconcile the same check runs, switches, log, issues and notices;
 * - deliveries lost, duplicated (same delivery id) and out of order: no crash, exact state;
 * - known gaps, each pinned by a deterministic `it.fails` scenario at the end.
 *
 * Fixed seeds: a failure here reproduces. FAULT_SEED=<n> runs another seed locally (seeds 1–4 and
 * the default were run while writing this).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY } from "../../src/github/octokit-options.js";
import { randomFaults, SeededRandom, type RandomFaults } from "../emulator/index.js";
import { duplicateComments, duplicateLogIds, logFacts, maxAttempts, notices, silentlyLostCommands, stateOf } from "./support/invariants.js";
import { outcome, playScript, SCRIPT_START, type Outcome, type ScriptRun } from "./support/script.js";
import { FaultWorld, REPO, type Delivery } from "./support/world.js";
import { GA_BODY, INCIDENT_BODY, PEOPLE, withPhase } from "../e2e/support/stories.js";

const SEED = Number(process.env.FAULT_SEED ?? 20250604);
/** An attempt is abandoned after 1 s; a "timeout" fault holds the request 1.5 s (then GitHub applies it anyway). */
const POLICY = { requestTimeoutMs: 1_000 };
const TIMEOUT_DELAY_MS = 1_500;

interface Played {
  w: FaultWorld;
  run: ScriptRun;
  before: Outcome;
  after: Outcome;
  rejections: unknown[];
  /** Writes the reconcile made (0 when nothing was left to repair). */
  reconcileWrites: number;
}

/** Plays the script, lets in-flight delayed requests land, stops the faults, reconciles once. */
async function play(options: { faults?: RandomFaults; deliverVia?: (w: FaultWorld, d: Delivery) => Promise<void>; flush?: (w: FaultWorld) => Promise<void>; warmUp?: boolean }): Promise<Played> {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on("unhandledRejection", onRejection);
  // The reference run also compiles the OpenAPI validators (emulator and guard, cached for the file):
  // it gets a generous timeout so that first-use compilation is not mistaken for a slow GitHub.
  const policy = options.warmUp ? { requestTimeoutMs: 60_000 } : POLICY;
  const w = await FaultWorld.start({ start: SCRIPT_START, policy, ...(options.deliverVia ? { deliverVia: options.deliverVia } : {}) });
  try {
    if (options.faults) w.gh.faults = options.faults.hook;
    const run = await playScript(w);
    await options.flush?.(w);
    if (options.faults) {
      options.faults.enabled = false;
      await new Promise((r) => setTimeout(r, TIMEOUT_DELAY_MS + 200)); // requests GitHub was still "working on"
    }
    const before = outcome(w, run);
    const writesBefore = w.gh.countRequests({ write: true });
    await w.reconcile();
    const reconcileWrites = w.gh.countRequests({ write: true }) - writesBefore;
    return { w, run, before, after: outcome(w, run), rejections, reconcileWrites };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

const worlds: FaultWorld[] = [];
let clean: Played;
/** Commands Charter does not answer even without faults (a feature not in the tree yet). */
let unansweredWhenClean: string[] = [];

beforeAll(async () => {
  clean = await play({ warmUp: true });
  worlds.push(clean.w);
  unansweredWhenClean = Object.entries(clean.run.commands)
    .filter(([, id]) => clean.w.botReactions(id).length === 0 && !clean.w.botComments(clean.run.incident).some((b) => b.startsWith(`> ${clean.w.gh.getComment("acme/ingestion", id).body.split("\n")[0]}`)))
    .map(([name]) => name);
}, 120_000);

afterAll(async () => {
  for (const w of worlds) await w.stop();
});

describe("without faults (the reference run)", () => {
  it("plays the script with every delivery answered 200 and no duplicates", () => {
    expect(clean.rejections).toEqual([]);
    expect(clean.w.deliveries.filter((d) => d.status !== 200)).toEqual([]);
    expect(clean.w.retries).toEqual([]);
    expect(duplicateComments(clean.after)).toEqual([]);
    expect(duplicateLogIds(clean.after.log)).toEqual([]);
    expect(logFacts(clean.after.log)).toEqual(["activate olga-oncall workspace:alpha", "activate omar-oncall workspace:beta"]);
    expect(clean.w.gh.violations).toEqual([]);
  });

  it("the reconcile of a fault-free run writes nothing", () => {
    expect(clean.reconcileWrites).toBe(0);
    expect(stateOf(clean.after)).toEqual(stateOf(clean.before));
  });
});

describe(`GitHub failing requests (seed ${SEED}): 500/502, timeouts, 409 on contents, 403/429 secondary rate limits`, () => {
  let faulty: Played;
  let faults: RandomFaults;

  beforeAll(async () => {
    faults = randomFaults({ seed: SEED, serverErrors: 0.08, timeouts: 0.04, timeoutDelayMs: TIMEOUT_DELAY_MS, contentConflicts: 0.35, secondaryRateLimits: 0.06, retryAfterSeconds: [1, 30, 60] });
    faulty = await play({ faults });
    worlds.push(faulty.w);
    if (process.env.FAULT_DEBUG) {
      console.info(JSON.stringify({ clean: clean.after.issues, faulty: faulty.after.issues }, null, 1));
      console.info(faults.injected.map((f) => `${f.kind} ${f.method} ${f.path} ${f.status ?? f.delayMs}`).join("\n"));
      console.info(faulty.w.gh.requestLog.map((e) => `${e.method} ${e.path}${e.query} ${e.status}`).join("\n"));
    }
  }, 180_000);

  it("injects every kind of fault", () => {
    const count = (k: string) => faults.injected.filter((f) => f.kind === k).length;
    console.info(
      `seed ${SEED}: ${faulty.w.gh.requestLog.length} requests, faults injected: ${count("server-error")} 5xx, ${count("timeout")} timeouts, ${count("conflict")} 409, ${count("secondary-rate-limit")} rate limits; ` +
        `${faulty.w.retries.length} retries (${[...new Set(faulty.w.retries.map((r) => r.reason))].join(", ")}), max ${maxAttempts(faulty.w.retries)} attempts per request; ` +
        `deliveries: ${faulty.w.deliveries.length} (${faulty.w.deliveries.filter((d) => d.status !== 200).map((d) => `${d.event}.${d.action}=${d.status}`).join(", ") || "all 200"}); reconcile writes ${faulty.reconcileWrites}; ` +
        `commands not answered even without faults: ${unansweredWhenClean.join(", ") || "none"}`,
    );
    const kinds = new Set(faults.injected.map((f) => f.kind));
    expect([...kinds].sort()).toEqual(["conflict", "secondary-rate-limit", "server-error", "timeout"]);
  });

  it("never crashes: no unhandled rejection, every delivery answered, no request GitHub would refuse", () => {
    expect(faulty.rejections).toEqual([]);
    for (const d of faulty.w.deliveries) expect([200, 202, 500]).toContain(d.status);
    expect(faulty.w.gh.violations).toEqual([]);
  });

  it("retries are bounded: at most 2 retries per request, never a comment re-POSTed after an unknown outcome", () => {
    expect(faulty.w.retries.length).toBeGreaterThan(0);
    expect(maxAttempts(faulty.w.retries)).toBeLessThanOrEqual(1 + DEFAULT_RETRY_POLICY.retries);
    const unsafe = faulty.w.retries.filter((r) => r.method === "POST" && /\/issues\/\{issue_number\}\/comments$|\/issues\/\d+\/comments$/.test(r.url) && r.reason !== "secondary-rate-limit" && r.reason !== "rate-limit");
    expect(unsafe).toEqual([]);
    // A rate limit is waited out only when GitHub asks for at most 60 s.
    for (const r of faulty.w.retries.filter((x) => x.reason === "secondary-rate-limit")) expect(r.waitMs).toBeLessThanOrEqual(60_000 * 0.001);
  });

  it("no duplicate comments and no duplicate log entries, during the faults and after the reconcile", () => {
    expect(duplicateComments(faulty.before)).toEqual([]);
    expect(duplicateComments(faulty.after)).toEqual([]);
    expect(duplicateLogIds(faulty.before.log)).toEqual([]);
    expect(duplicateLogIds(faulty.after.log)).toEqual([]);
  });

  it("no kill-switch log entry is lost, including both sides of the activation race", () => {
    expect(logFacts(faulty.before.log)).toEqual(logFacts(clean.after.log));
  });

  it("no command is lost silently: each is answered, or its delivery failed visibly (redeliverable)", () => {
    expect(silentlyLostCommands(faulty.w, faulty.run, unansweredWhenClean)).toEqual([]);
  });

  it("one reconcile (sweep + the last delivery of each pull request again) restores every check run, switch, log and issue", () => {
    expect(stateOf(faulty.after)).toEqual(stateOf(clean.after));
  });

  it("no notice is lost: every incident message, page, reminder and RACI notice of the fault-free run is there after the reconcile", () => {
    expect(notices(faulty.after)).toEqual(notices(clean.after));
  });
});

describe(`deliveries lost, duplicated and out of order (seed ${SEED})`, () => {
  let played: Played;
  const redelivered: string[] = [];
  const dropped: string[] = [];

  beforeAll(async () => {
    const rng = new SeededRandom(SEED);
    const held: Delivery[] = [];
    played = await play({
      deliverVia: async (w, d) => {
        // lost: GitHub never delivers it (commands excepted: a person would notice and say it again)
        if (d.event !== "issue_comment" && rng.chance(0.15)) {
          dropped.push(`${d.event}.${String(d.payload.action ?? "")}`);
          return;
        }
        // out of order: hold one delivery back until after the next one
        if (held.length === 0 && rng.chance(0.2)) {
          held.push(d);
          return;
        }
        await w.send(d);
        while (held.length > 0) await w.send(held.shift()!);
        // at least once: the same delivery id again
        if (rng.chance(0.25)) {
          redelivered.push(`${d.event}.${String(d.payload.action ?? "")}`);
          await w.send(d);
        }
      },
      flush: async (w) => {
        while (held.length > 0) await w.send(held.shift()!);
      },
    });
    worlds.push(played.w);
  }, 180_000);

  it("losses, duplicates and reordering happened", () => {
    console.info(`dropped: ${dropped.join(", ") || "none"}; reconcile writes ${played.reconcileWrites}`);
    expect(redelivered.length).toBeGreaterThan(0);
    expect(dropped.length).toBeGreaterThan(0);
  });

  it("never crashes and keeps state exact: no duplicate log entry, the same switches, log and check runs as without faults", () => {
    expect(played.rejections).toEqual([]);
    expect(played.w.deliveries.filter((d) => d.status !== 200)).toEqual([]);
    expect(duplicateLogIds(played.after.log)).toEqual([]);
    expect(logFacts(played.after.log)).toEqual(logFacts(clean.after.log));
    expect(stateOf(played.after)).toEqual(stateOf(clean.after));
  });

  it("no page, incident message or other non-reply comment is posted twice", () => {
    const doubled = duplicateComments(played.after);
    console.info(`redelivered: ${redelivered.join(", ")}; commands answered more often than asked: ${doubled.filter((d) => d.asked !== undefined).map((d) => `${d.body.split("\n")[0]} (${d.times}×)`).join(", ") || "none"}`);
    expect(doubled.filter((d) => d.asked === undefined)).toEqual([]);
  });

  // The dispatcher answers each command comment once per process (redeliveries are ignored);
  // state writes are keyed by comment id on top of that.
  it("a command redelivered with the same delivery id is not answered twice", async () => {
    const w = played.w;
    const commentId = played.run.commands.status!;
    const original = w.deliveries.find((d) => d.commentId === commentId)!;
    const before = w.botComments(played.run.incident).length;
    await w.send({ event: "issue_comment", id: original.id, echo: false, payload: w.gh.payloads.issueComment("created", REPO, commentId, { sender: PEOPLE.primary }) });
    expect(w.botComments(played.run.incident).length).toBe(before);
  });
});

/**
 * Known gaps found by the runs above, each pinned by a deterministic scenario. `it.fails` records
 * that the invariant does NOT hold today (see the issue 7 report); when the owning area fixes it,
 * the test starts failing: remove `.fails`.
 */
describe("known gaps under lost and reordered deliveries", () => {
  it.fails("a lost pull_request.opened: the reconcile restores the RACI 'Informed' notice", async () => {
    const w = await FaultWorld.start({ start: SCRIPT_START, policy: POLICY, deliverVia: async (world, d) => (d.event === "pull_request" && d.payload.action === "opened" ? undefined : void (await world.send(d))) });
    worlds.push(w);
    const pr = await w.openPullRequest(PEOPLE.releaseManager, { branch: "ga-p4", files: { "governance/state/phase.yml": withPhase(w.file("governance/state/phase.yml")!, "P4") }, title: "GA", body: GA_BODY });
    await w.review(PEOPLE.owner, pr, "APPROVED", "ok");
    await w.reconcile();
    expect(w.botComments(pr).some((b) => b.includes("RACI: Informed"))).toBe(true);
  }, 60_000);

  it.fails("a command delivered before issues.opened: the incident still starts at the issue's creation time", async () => {
    const held: Delivery[] = [];
    const w = await FaultWorld.start({
      start: SCRIPT_START,
      policy: POLICY,
      deliverVia: async (world, d) => {
        if (d.event === "issues" && d.payload.action === "opened") held.push(d);
        else await world.send(d);
      },
    });
    worlds.push(w);
    const incident = await w.openIssue(PEOPLE.primary, { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
    w.at(new Date(Date.parse(SCRIPT_START) + 2 * 60_000).toISOString());
    await w.comment(PEOPLE.primary, incident, "/ack");
    for (const d of held) await w.send(d);
    const start = w.botComments(incident).find((b) => b.includes("INCIDENT"));
    expect(start).toContain("Time: Wed 2025-06-04 15:00 CEST");
  }, 60_000);
});
