/**
 * Writes GitHub applied but answered with an error (issue 12 item 5): a 502 after the comment, issue
 * or pull request was created, or an answer that never comes (the client times out on a write that
 * happened). Charter must find what it wrote instead of writing it again, never ask a person to
 * repeat a command whose effects may exist, and a retried job (a failed delivery delivered again
 * with the same id, as the engine and GitHub's redelivery do) repeats no visible effect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomFaults, type CheckRunRecord, type FaultHook, type RandomFaults } from "../emulator/index.js";
import { COMMANDS, INCIDENT_BODY, PEOPLE } from "../e2e/support/stories.js";
import { BREAK_GLASS, withBreakGlass } from "../breakglass/world.js";
import { duplicateComments, duplicateLogIds, logFacts, notices, stateOf } from "./support/invariants.js";
import { outcome, playScript, SCRIPT_START, TOLD_TO_RETRY, type Outcome, type ScriptRun } from "./support/script.js";
import { CHECK_NAME, FaultWorld, REPO, type Delivery } from "./support/world.js";
import { writeStats } from "../../src/github/writes/create.js";
import { forgetUncertain } from "../../src/github/writes/memory.js";

const START = "2025-06-04T13:00:00Z";
const POLICY = { requestTimeoutMs: 1_000 };
const worlds: FaultWorld[] = [];

afterAll(async () => {
  for (const w of worlds) await w.stop();
});

const at = (w: FaultWorld, minutes: number) => w.at(new Date(Date.parse(START) + minutes * 60_000).toISOString());

/** A world that keeps the deliveries that failed, to deliver them again the way the engine retries a job. */
async function world(): Promise<{ w: FaultWorld; failed: Delivery[]; retryFailed: () => Promise<void> }> {
  const failed: Delivery[] = [];
  const w = await FaultWorld.start({
    start: START,
    policy: POLICY,
    deliverVia: async (world, d) => {
      const r = await world.send(d);
      if (r.status >= 500) failed.push(d);
    },
  });
  worlds.push(w);
  const retryFailed = async () => {
    for (let round = 0; round < 3 && failed.length > 0; round++) {
      for (const d of failed.splice(0)) {
        const r = await w.send(d); // the same delivery id: a job retried
        if (r.status >= 500) failed.push(d);
      }
      await w.settle();
    }
  };
  return { w, failed, retryFailed };
}

/** The first write matching `match` is applied by GitHub and then answered `fault`. */
function once(match: (method: string, path: string) => boolean, fault: { status?: number; delayMs?: number }): FaultHook {
  let done = false;
  return ({ method, path }) => {
    if (done || !match(method, path)) return undefined;
    done = true;
    return { applied: true, ...fault };
  };
}

const commentsOn = (issue: number) => (method: string, path: string) => method === "POST" && path === `/repos/${REPO}/issues/${issue}/comments`;

/** A person who does what Charter says: asked to run the command again, they do (at most twice). */
async function command(w: FaultWorld, who: string, issue: number, body: string): Promise<number> {
  let id = await w.comment(who, issue, body);
  for (let again = 0; again < 2; again++) {
    const quoted = `> ${body.split("\n")[0]!.slice(0, 200)}`;
    const replies = w.botComments(issue).filter((b) => b.startsWith(quoted) && TOLD_TO_RETRY.test(b));
    if (replies.length <= again) break;
    id = await w.comment(who, issue, body);
  }
  return id;
}

const resolvedMessages = (w: FaultWorld, issue: number) => w.botComments(issue).filter((b) => /🟢 RESOLVED/.test(b));
const reviewIssues = (w: FaultWorld) => w.gh.listIssues(REPO).filter((i) => /review/i.test(i.title) && i.user.toLowerCase() === w.botLogin.toLowerCase());

async function openAndAck(w: FaultWorld): Promise<number> {
  at(w, 1);
  const incident = await w.openIssue(PEOPLE.primary, { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
  at(w, 3);
  await w.comment(PEOPLE.primary, incident, COMMANDS.ack);
  return incident;
}

describe("/resolve whose resolved message GitHub applied", () => {
  for (const [name, fault] of [
    ["answered 502", { status: 502 }],
    ["answered after the client's timeout", { delayMs: 1_500 }],
  ] as const) {
    it(`${name}: one resolved message, one review issue, the person is not asked to run it again`, async () => {
      const { w, retryFailed } = await world();
      const incident = await openAndAck(w);
      at(w, 30);
      w.gh.faults = once(commentsOn(incident), fault);
      await command(w, PEOPLE.primary, incident, COMMANDS.resolve);
      w.gh.faults = undefined;
      await new Promise((r) => setTimeout(r, 1_700)); // an answer still held lands
      await retryFailed();
      expect.soft(w.botComments(incident).filter((b) => TOLD_TO_RETRY.test(b))).toEqual([]);
      expect.soft(resolvedMessages(w, incident)).toHaveLength(1);
      expect.soft(reviewIssues(w)).toHaveLength(1);
      expect(w.gh.repo(REPO).issues.get(incident)!.state).toBe("closed");
      expect(w.gh.violations).toEqual([]);
    }, 60_000);
  }
});

describe("the sign-off check run whose create GitHub applied", () => {
  const checkRunsCreate = (method: string, path: string) => method === "POST" && path === `/repos/${REPO}/check-runs`;
  /** Charter's runs called CHECK_NAME on the head of pull request `pr`, oldest first. */
  const runsOn = (w: FaultWorld, pr: number) => {
    const sha = w.gh.repo(REPO).pulls.get(pr)!.headSha;
    return w.gh.listCheckRuns(REPO, sha).filter((r) => r.name === CHECK_NAME).reverse();
  };
  const openInfraChange = (w: FaultWorld) =>
    w.openPullRequest("rob-release", { branch: "infra-change", files: { "infra/main.tf": 'resource "x" { n = 2 }' }, title: "Scale the workers", body: "More workers." });

  /** What a person sees of a run (the emulator's address, which differs per world, left out). */
  const seen = (w: FaultWorld, r: CheckRunRecord) => ({ conclusion: r.conclusion, title: r.output.title, summary: r.output.summary?.split(w.gh.url).join("https://github.test") });
  let reference: ReturnType<typeof seen>;
  beforeAll(async () => {
    const { w } = await world();
    at(w, 1);
    const pr = await openInfraChange(w);
    const runs = runsOn(w, pr);
    expect(runs).toHaveLength(1);
    reference = seen(w, runs[0]!);
  }, 60_000);

  for (const [name, fault] of [
    ["applied and answered 502", { applied: true, status: 502 }],
    ["applied and answered after the client's timeout", { applied: true, delayMs: 1_500 }],
    ["held past the client's timeout, then applied", { applied: false, delayMs: 1_500 }],
  ] as const) {
    it(`${name}: exactly one check run of that name on the head, with the verdict and summary of a run without faults`, async () => {
      const { w, retryFailed } = await world();
      at(w, 1);
      let faulted = 0;
      w.gh.faults = ({ method, path }) => {
        if (faulted > 0 || !checkRunsCreate(method, path)) return undefined;
        faulted++;
        return { ...fault };
      };
      const pr = await openInfraChange(w);
      w.gh.faults = undefined;
      await new Promise((r) => setTimeout(r, 1_700)); // an answer still held lands
      await retryFailed();
      expect(faulted).toBe(1);
      const runs = runsOn(w, pr);
      expect(runs.map((r) => seen(w, r))).toEqual([reference]);
      expect(reference.conclusion).toBe("failure");
      expect(w.gh.violations).toEqual([]);
    }, 60_000);
  }

  it("not applied (502) when Charter already has a run on the head: that run is updated, not a second one created, and another app's run of the same name is neither taken for Charter's nor touched", async () => {
    const { w, retryFailed } = await world();
    at(w, 1);
    const pr = await openInfraChange(w);
    const sha = w.gh.repo(REPO).pulls.get(pr)!.headSha;
    const [first] = runsOn(w, pr);
    const before = { ...first!, output: { ...first!.output } };
    expect(before.conclusion).toBe("failure");
    // another app installed in the repository writes a green run of Charter's name on the head
    const forged = w.gh.store.createCheckRun(w.gh.repo(REPO), { name: CHECK_NAME, headSha: sha, conclusion: "success", output: { title: "All signed off", summary: "Signed.", text: null }, app: { id: 666, slug: "forger" } });
    at(w, 5);
    let faulted = 0;
    w.gh.faults = ({ method, path }) => {
      if (faulted > 0 || !checkRunsCreate(method, path)) return undefined;
      faulted++;
      return { status: 502 };
    };
    await w.review("sam-sre", pr, "APPROVED", "Looks right");
    w.gh.faults = undefined;
    await retryFailed();
    expect(faulted).toBe(1);
    const charters = runsOn(w, pr).filter((r) => r.app === undefined);
    expect(charters.map((r) => r.id)).toEqual([first!.id]);
    expect(charters[0]!.conclusion).toBe("success");
    expect(charters[0]!.output.title).toBe("Signed off: OWNERS /infra/");
    expect(w.gh.requestLog.filter((r) => r.method === "PATCH" && (r.template ?? "").endsWith("/check-runs/{check_run_id}")).map((r) => r.path)).toEqual([`/repos/${REPO}/check-runs/${first!.id}`]);
    expect(w.gh.store.checkRun(w.gh.repo(REPO), forged.id)).toMatchObject({ conclusion: "success", output: { title: "All signed off", summary: "Signed." } });
    expect(w.gh.violations).toEqual([]);
  }, 60_000);
});

// ------------------------------------------------------------------------------------------------
// Every command and the sweep under seeded faults on writes GitHub applied (issue 12's Must show).
// ------------------------------------------------------------------------------------------------

const SEED = Number(process.env.FAULT_SEED ?? 20261206);
/** An attempt is abandoned after 500 ms; an applied-then-held answer comes after 800 ms. */
const FAST = { requestTimeoutMs: 500 };
const HELD_MS = 800;
/** The engine's attempts per job (src/engine/redis.ts: 5). */
const ATTEMPTS = 5;

interface Played {
  w: FaultWorld;
  run: ScriptRun;
  before: Outcome;
  after: Outcome;
  /** Deliveries that failed and were delivered again (the engine's retries). */
  retried: string[];
  /** Deliveries still failing after every attempt. */
  gaveUp: string[];
  rejections: unknown[];
  /** What the write layer did during the run (its lookups are its only extra requests). */
  stats: typeof writeStats;
  requests: number;
}

const hours = (n: number) => new Date(Date.parse(SCRIPT_START) + n * 3_600_000).toISOString();

/** The script of test/faults (GA gate, incident, kill-switch race, sweeps), then every other command: /update, /page, /commander, /severity, /resolve with its review, a resume, a break-glass and its sign-off, and the sweeps after. */
async function playAll(w: FaultWorld): Promise<ScriptRun> {
  const run = await playScript(w);
  const { incident } = run;
  w.at(hours(1.6));
  run.commands.update = await command(w, PEOPLE.primary, incident, "/update identified A config push disabled the upload workers");
  w.at(hours(1.7));
  run.commands.page = await command(w, PEOPLE.primary, incident, "/page sre-lead please look at the workers");
  w.at(hours(1.8));
  run.commands.commander = await command(w, PEOPLE.primary, incident, "/commander @omar-oncall");
  w.at(hours(1.9));
  run.commands.severity = await command(w, PEOPLE.primary, incident, "/severity P2 contained to one region");
  w.at(hours(2));
  run.commands.severityBack = await command(w, PEOPLE.primary, incident, "/severity P1 spreading again");
  w.at(hours(2.2));
  run.commands.resume = await command(w, PEOPLE.primary, incident, '/killswitch resume workspace:alpha --verified "Checksums match again"');
  w.at(hours(2.5));
  run.commands.resolve = await command(w, PEOPLE.primary, incident, COMMANDS.resolve);
  // break-glass on an unsigned infra change, then its review signed
  w.at(hours(3));
  const hotfix = await w.openPullRequest("rob-release", { branch: "hotfix", files: { "infra/main.tf": 'resource "x" { n = 1 }' }, title: "Hotfix: stop corrupting uploads", body: "Urgent." });
  w.at(hours(3.1));
  run.commands.breakglass = await command(w, PEOPLE.primary, hotfix, "/breakglass uploads are corrupting client data, incident #2");
  w.at(hours(8));
  await w.sweep();
  const review = w.gh.listIssues(REPO).filter((i) => i.title.startsWith("Break-glass review")).at(-1)?.number;
  if (review !== undefined) {
    w.at(hours(9));
    run.commands.signOwner = await command(w, PEOPLE.owner, review, "/breakglass sign looked at the diff, fine");
    w.at(hours(9.5));
    run.commands.signSre = await command(w, PEOPLE.sre, review, "/breakglass sign");
  }
  w.at(hours(30));
  await w.sweep();
  return run;
}

async function playWith(faults: RandomFaults | undefined, policy: { requestTimeoutMs: number }): Promise<Played> {
  const rejections: unknown[] = [];
  const onRejection = (e: unknown) => rejections.push(e);
  process.on("unhandledRejection", onRejection);
  const retried: string[] = [];
  const gaveUp: string[] = [];
  forgetUncertain(); // a fresh process
  const stats0 = { ...writeStats };
  const w = await FaultWorld.start({
    start: SCRIPT_START,
    policy,
    // a failed delivery is a failed job: the engine runs it again (the same delivery id), up to 5 attempts
    deliverVia: async (world, d) => {
      for (let attempt = 1; ; attempt++) {
        const r = await world.send(d);
        if (r.status < 500) return;
        if (attempt >= ATTEMPTS) {
          gaveUp.push(`${d.event}.${String(d.payload.action ?? "")}`);
          return;
        }
        retried.push(`${d.event}.${String(d.payload.action ?? "")}`);
        await new Promise((r) => setTimeout(r, HELD_MS + 100)); // the engine's backoff (1 s, doubling)
      }
    },
  });
  worlds.push(w);
  w.gh.commitFiles(REPO, "main", { "governance/authority.yml": withBreakGlass(w.file("governance/authority.yml")!, BREAK_GLASS) }, "Add break_glass", { author: "ana-owner" });
  try {
    if (faults) w.gh.faults = faults.hook;
    const run = await playAll(w);
    if (faults) faults.enabled = false;
    await new Promise((r) => setTimeout(r, HELD_MS + 200));
    const before = outcome(w, run);
    await w.reconcile();
    const stats = Object.fromEntries(Object.entries(writeStats).map(([k, v]) => [k, v - stats0[k as keyof typeof writeStats]])) as typeof writeStats;
    return { w, run, before, after: outcome(w, run), retried, gaveUp, rejections, stats, requests: w.gh.requestLog.filter((r) => !(r.template ?? "").startsWith("/app")).length };
  } finally {
    process.off("unhandledRejection", onRejection);
  }
}

describe(`every command and the sweep, writes applied but answered with an error (seed ${SEED})`, () => {
  let clean: Played;
  const modes = {
    "20% of writes applied and answered 502": { appliedServerErrors: 0.2 },
    "20% of writes applied and answered after the client's timeout": { appliedTimeouts: 0.2, timeoutDelayMs: HELD_MS },
    // GitHub still working when Charter gives up and looks: not found yet, so the job fails and is retried
    "20% of requests held past the client's timeout, then applied": { timeouts: 0.2, timeoutDelayMs: HELD_MS },
  } as const;
  const played: Record<string, { p: Played; faults: RandomFaults }> = {};

  beforeAll(async () => {
    clean = await playWith(undefined, { requestTimeoutMs: 60_000 });
    for (const [name, options] of Object.entries(modes)) {
      const faults = randomFaults({ seed: SEED, ...options });
      played[name] = { p: await playWith(faults, FAST), faults };
    }
  }, 300_000);

  it("the reference run: every command answered, nothing retried, no duplicates, and not one lookup (no extra request when writes succeed)", () => {
    console.info(`reference run: ${clean.requests} requests, ${clean.stats.creates} keyed creates, ${clean.stats.lookups} lookups`);
    expect(clean.stats.lookups).toBe(0);
    expect(clean.stats.creates).toBeGreaterThan(15);
    expect(clean.rejections).toEqual([]);
    expect(clean.retried).toEqual([]);
    expect(duplicateComments(clean.after)).toEqual([]);
    expect(duplicateLogIds(clean.after.log)).toEqual([]);
    // the added commands all did something: a review issue, a break-glass review, a resume pull request
    const titles = clean.w.gh.listIssues(REPO).filter((i) => i.user.toLowerCase() === clean.w.botLogin.toLowerCase()).map((i) => i.title);
    console.info(`reference run: Charter opened ${titles.join(" | ")}; reactions ${JSON.stringify(Object.fromEntries(Object.entries(clean.run.commands).map(([k, id]) => [k, clean.w.botReactions(id)])))}`);
    expect(titles.some((t) => /review/i.test(t) && !t.startsWith("Break-glass"))).toBe(true);
    expect(titles.some((t) => t.startsWith("Break-glass review"))).toBe(true);
    expect(clean.w.gh.violations).toEqual([]);
  });

  for (const name of Object.keys(modes)) {
    describe(name, () => {
      it("faults were injected, and jobs retried", () => {
        const { p, faults } = played[name]!;
        const kinds = new Set(faults.injected.map((f) => f.kind));
        console.info(`${name}: ${p.requests} requests (reference ${clean.requests}); write layer ${JSON.stringify(p.stats)}`);
        console.info(`${name}: ${faults.injected.length} faults on ${p.w.gh.requestLog.filter((r) => r.write).length} writes (${[...kinds].join(", ")}); jobs retried: ${p.retried.length} (${[...new Set(p.retried)].join(", ")}); gave up: ${p.gaveUp.length}`);
        expect(faults.injected.length).toBeGreaterThan(10);
        expect(p.rejections).toEqual([]);
        expect(p.gaveUp).toEqual([]);
        expect(p.w.gh.violations).toEqual([]);
      });

      it("nobody is asked to run a command again", () => {
        const { p } = played[name]!;
        const told = Object.values(p.after.issues).flatMap((i) => i.botComments.filter((b) => TOLD_TO_RETRY.test(b)));
        expect(told).toEqual([]);
      });

      it("no duplicated comment, page, reply or log entry, before and after the reconcile", () => {
        const { p } = played[name]!;
        expect(duplicateComments(p.before)).toEqual([]);
        expect(duplicateComments(p.after)).toEqual([]);
        expect(duplicateLogIds(p.after.log)).toEqual([]);
        expect(logFacts(p.after.log)).toEqual(logFacts(clean.after.log));
      });

      it("no duplicated issue or pull request: the same review issues and pull requests as without faults", () => {
        const { p } = played[name]!;
        const titles = (w: FaultWorld) => w.gh.listIssues(REPO).filter((i) => i.user.toLowerCase() === w.botLogin.toLowerCase()).map((i) => `${i.isPull ? "pull" : "issue"}: ${i.title}`).sort();
        expect(titles(p.w)).toEqual(titles(clean.w));
      });

      it("after one reconcile: every incident, check, switch and notice as without faults", () => {
        const { p } = played[name]!;
        expect(stateOf(p.after)).toEqual(stateOf(clean.after));
        expect(notices(p.after)).toEqual(notices(clean.after));
      });
    });
  }
});
