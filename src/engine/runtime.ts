/**
 * Charter's jobs on the engine: what a delivery, a timer and a periodic job do, and what is
 * learned after each (the next timers; which repositories have governance). Server mode only
 * (src/server.ts wires it); the handlers themselves are the ordinary Probot handlers. Each job
 * kind's code (the incidents engine, the reconcile tasks, the safety net, redelivery, what is
 * learned after a job) is imported on the first job of that kind (src/engine/jobs.ts), not when the
 * server starts.
 */
import type { Logger, Probot } from "probot";
import type { GitHubClient, RepoRef } from "../github/client.js";
import type { CharterDeps } from "../handlers/deps.js";
import type { Governance } from "../core/model/governance.js";
import type { GovernedRepo } from "../reconcile/safety-net.js";
import { jobCode, JOB_CODE, type JobCode, type JobLoaders, type LoadJobCode } from "./jobs.js";
import { installationOf } from "./keys.js";
import type { CharterMetrics } from "./metrics.js";
import type { Where } from "./next-due.js";
import type { AppClient } from "./redelivery.js";
import type { Delivery, Engine, EngineHandlers, JobResult, Timer } from "./types.js";

interface PayloadLike {
  repository?: { name?: string; owner?: { login?: string }; default_branch?: string; full_name?: string };
  issue?: { number?: number };
  pull_request?: { number?: number };
  action?: string;
  installation?: { id?: number };
  repositories?: { full_name?: string }[];
  repositories_added?: { full_name?: string }[];
}

export class CharterRuntime {
  /** Repositories already recorded as governed by this process (field → value), to write only changes. */
  readonly #governed = new Map<string, string>();
  /** When this process last ran a repository's sign-off timer (ms): its memos of that repository's pull requests are complete. */
  readonly #signoffRan = new Map<string, number>();
  /** When this process last ran a repository's handoff, deployment and calendar tasks (ms). */
  readonly #ran = { handoff: new Map<string, number>(), deployment: new Map<string, number>(), calendar: new Map<string, number>() };

  constructor(
    private readonly app: Probot,
    private readonly deps: CharterDeps,
    private readonly engine: Engine,
    private readonly log: Logger,
    private readonly metrics: CharterMetrics,
    private readonly receive: (delivery: Delivery) => Promise<void>,
    loaders: JobLoaders = JOB_CODE,
  ) {
    this.#code = jobCode(loaders);
  }

  /** Each job kind's code, imported on its first job (src/engine/jobs.ts). */
  readonly #code: LoadJobCode;

  handlers(): EngineHandlers {
    return {
      delivery: (d) => this.delivery(d),
      timer: (t) => this.timer(t),
      periodic: (name) => this.periodic(name),
    };
  }

  /**
   * One delivery: Probot's handlers, then what is due next on its issue and repository. With Redis
   * another replica may have written this incident's record since this process read it: the
   * record is read afresh (the same single request for an incident with under 100 comments).
   */
  async delivery(d: Delivery): Promise<JobResult> {
    const where = this.#whereOf(d);
    const p = d.payload as PayloadLike;
    const number = p.issue?.number ?? p.pull_request?.number;
    if (this.engine.durable && where && number !== undefined) {
      const { incidentCaches, incidentKey } = await this.#code("learn", this.log);
      incidentCaches(this.deps.governance).forget(incidentKey(where.repo, number));
      // A payload's comment count is as old as its event: another replica may have commented
      // since (opened the incident). Without it the handlers read the comments instead of
      // trusting "no comments yet".
      if (p.issue && typeof (p.issue as { comments?: unknown }).comments === "number") d = { ...d, payload: { ...p, issue: { ...p.issue, comments: undefined } } };
    }
    await this.receive(d);
    if (!where) return {};
    return { timers: await this.learn(where, number !== undefined ? [number] : []) };
  }

  /** A timer: re-read GitHub and act only if still due (reconcileIncident does nothing otherwise). */
  async timer(t: Timer): Promise<JobResult> {
    const gh = (await this.app.auth(t.installationId)) as GitHubClient;
    const log = this.log.child({ timer: t.step, repo: `${t.repo.owner}/${t.repo.repo}`, issue: t.issue });
    let defaultBranch = t.defaultBranch;
    if (!defaultBranch) defaultBranch = (await gh.request("GET /repos/{owner}/{repo}", { ...t.repo })).data.default_branch;
    const where: Where = { repo: t.repo, installationId: t.installationId, defaultBranch };
    if (t.kind === "signoff") {
      const { sweepRepository, tasks } = await this.#code("signoff", log);
      await sweepRepository(gh, t.repo, this.deps, log, { defaultBranch, tasks });
      this.#signoffRan.set(`${t.repo.owner}/${t.repo.repo}`.toLowerCase(), this.deps.clock.now().getTime());
      return { timers: await this.learn(where, []) };
    }
    if (t.kind === "handoff" || t.kind === "deployment" || t.kind === "calendar") {
      const { sweepRepository, tasks } = await this.#code(t.kind, log);
      await sweepRepository(gh, t.repo, this.deps, log, { defaultBranch, tasks });
      this.#ran[t.kind].set(`${t.repo.owner}/${t.repo.repo}`.toLowerCase(), this.deps.clock.now().getTime());
      return { timers: await this.learn(where, []) };
    }
    if (t.kind === "approval") {
      const { sweepRepository, tasks } = await this.#code("approval", log);
      await sweepRepository(gh, t.repo, this.deps, log, { defaultBranch, tasks });
      return { timers: await this.learn(where, []) };
    }
    const { governanceFromDefaultBranch, incidentCaches, incidentKey, incidentGovernance, issueFacts, reconcileIncident } = await this.#code("incident", log);
    const snapshot = await governanceFromDefaultBranch(gh, t.repo, defaultBranch, this.deps.governance);
    const caches = incidentCaches(this.deps.governance);
    const model = incidentGovernance(snapshot, caches, t.repo);
    if (!model) return {};
    if (this.engine.durable) caches.forget(incidentKey(t.repo, t.issue));
    const { data } = await gh.request("GET /repos/{owner}/{repo}/issues/{issue_number}", { ...t.repo, issue_number: t.issue });
    if (data.pull_request) return {};
    const env = { gh, repo: t.repo, g: model.g, inc: model.inc, now: this.deps.clock.now(), caches, identity: await this.deps.identity(), log };
    const done = await reconcileIncident(env, issueFacts(data), t.open ? { publicReports: "answer" } : { open: false });
    if (done.length) log.info({ actions: done }, `timer ${t.step}: ${done.length} action(s)`);
    return { timers: await this.learn(where, [t.issue]) };
  }

  async periodic(name: string): Promise<void> {
    if (name === "sweep") {
      this.metrics.sweeps.inc();
      const { safetyNetSweep } = await this.#code("sweep", this.log);
      await safetyNetSweep({
        app: this.app,
        store: this.engine.store,
        now: () => this.deps.clock.now(),
        fullPass: () => this.fullPass(),
        schedule: (t) => this.engine.schedule(t),
        log: this.log,
      });
      return;
    }
    if (name === "redeliver") {
      const { redeliverMissed } = await this.#code("redeliver", this.log);
      const appClient = (await this.app.auth()) as unknown as AppClient;
      const report = await redeliverMissed(appClient, this.engine.store, this.deps.clock.now(), this.log);
      this.metrics.redeliveries.inc(report.redelivered.length);
    }
  }

  /**
   * A cold start: every repository of every installation read once (its governance, its open
   * incidents by label: the old sweep's listing), and every open incident handed to the timer
   * queue, due now, with the approval deadlines. The incidents are reconciled there, one at a time
   * per issue with its deliveries, never beside them.
   */
  async fullPass(): Promise<number> {
    const appClient = await this.app.auth();
    const installations = await appClient.paginate("GET /app/installations", { per_page: 100 });
    const { governanceFromDefaultBranch, incidentCaches, incidentGovernance, listOpenIncidents } = await this.#code("sweep", this.log);
    const caches = incidentCaches(this.deps.governance);
    const now = this.deps.clock.now().getTime();
    let repositories = 0;
    for (const installation of installations) {
      const gh = (await this.app.auth(installation.id)) as GitHubClient;
      const repos = await gh.paginate("GET /installation/repositories", { per_page: 100 });
      for (const r of repos) {
        if (r.archived) continue;
        repositories++;
        const repo: RepoRef = { owner: r.owner.login, repo: r.name };
        try {
          const snapshot = await governanceFromDefaultBranch(gh, repo, r.default_branch, this.deps.governance);
          if (!snapshot.present) continue;
          const where: Where = { repo, installationId: installation.id, defaultBranch: r.default_branch };
          const timers = await this.learn(where, []);
          const model = incidentGovernance(snapshot, caches, repo);
          if (model) for (const issue of await listOpenIncidents(gh, repo, model.inc, caches)) timers.push({ kind: "incident", ...where, issue: issue.number, step: `sweep-${now}`, dueAt: now, open: true });
          for (const t of timers) await this.engine.schedule(t);
        } catch (error) {
          this.log.error({ err: error, repo: r.full_name }, "safety-net sweep: could not read a repository");
        }
      }
    }
    return repositories;
  }

  /**
   * What this process now knows is due next in a repository (from the governance and incident
   * records the job just read or wrote, no request): the incidents' next timers and the approval
   * deadlines (kill-switch activations, urgent on-call overrides). Records the repository as governed.
   */
  async learn(where: Where, issues: number[] | "all"): Promise<Timer[]> {
    const repoKey = `${where.repo.owner}/${where.repo.repo}`.toLowerCase();
    const snapshot = this.deps.governance.repo(repoKey)?.snapshot;
    if (!snapshot?.present) return [];
    const code = await this.#code("learn", this.log);
    const { incidentCaches, incidentKey, incidentTimer, approvalTimers } = code;
    const g = snapshot.result.ok ? snapshot.result.governance : undefined;
    const record: GovernedRepo = { installationId: where.installationId, defaultBranch: snapshot.branch || where.defaultBranch, ...(g?.incidents ? { label: g.incidents.label.name } : {}) };
    const json = JSON.stringify(record);
    if (this.#governed.get(repoKey) !== json) {
      await this.engine.store.hset("governed", repoKey, json);
      this.#governed.set(repoKey, json);
    }
    const now = this.deps.clock.now();
    const caches = incidentCaches(this.deps.governance);
    const numbers = issues === "all" ? caches.openIncidents(repoKey) : issues;
    const out: Timer[] = [];
    for (const n of numbers) {
      const state = caches.status(incidentKey(where.repo, n))?.state;
      const t = state ? incidentTimer(state, now, { ...where, defaultBranch: record.defaultBranch }) : undefined;
      if (t) out.push(t);
    }
    if (g) out.push(...approvalTimers(g, { ...where, defaultBranch: record.defaultBranch }));
    const signoff = g ? this.#signoffTimer(code, repoKey, g, now, { ...where, defaultBranch: record.defaultBranch }) : undefined;
    if (signoff) out.push(signoff);
    if (g) out.push(...this.#dayTimers(code, repoKey, g, now, { ...where, defaultBranch: record.defaultBranch }));
    return out;
  }

  /**
   * The on-call handoff message at its exact instant, each deployment's next status-update
   * reminder (this process's memo, src/github/deployment/store.ts; a repository with deployments
   * this process has not looked at yet is looked at now), and the calendar's daily publication.
   */
  #dayTimers({ handoffTimer, deploymentTimers, deploymentDue, calendarTimer }: JobCode<"learn">, repoKey: string, g: Governance, now: Date, where: Where): Timer[] {
    const out: Timer[] = [];
    const handoff = handoffTimer(g, now, this.#ran.handoff.get(repoKey), where);
    if (handoff) out.push(handoff);
    if (g.deployments) {
      if (!this.#ran.deployment.has(repoKey)) out.push({ kind: "deployment", ...where, issue: 0, step: `deployment-scan-${Math.floor(now.getTime() / 60_000)}`, dueAt: now.getTime() });
      out.push(...deploymentTimers(deploymentDue(this.deps.governance, repoKey), where));
    }
    const calendar = calendarTimer(g, now, this.#ran.calendar.get(repoKey), where);
    if (calendar) out.push(calendar);
    return out;
  }

  /** A repository's next sign-off timer (src/engine/next-due.ts), from this process's memos of its pull requests. */
  #signoffTimer({ signoffTimer, signoffState }: JobCode<"learn">, repoKey: string, g: Governance, now: Date, where: Where): Timer | undefined {
    const prefix = `${repoKey}#`;
    const pulls = function* (memos: Iterable<[string, { next: number }]>) {
      for (const [key, memo] of memos) if (key.startsWith(prefix)) yield memo.next;
    };
    return signoffTimer(g, now, this.#signoffRan.get(repoKey), pulls(signoffState(this.deps).timers.entries()), where);
  }

  #whereOf(d: Delivery): Where | undefined {
    const p = d.payload as PayloadLike;
    const installationId = installationOf(d);
    const owner = p.repository?.owner?.login;
    const repo = p.repository?.name;
    if (installationId === undefined || !owner || !repo) return undefined;
    return { repo: { owner, repo } as RepoRef, installationId, defaultBranch: p.repository?.default_branch ?? "" };
  }
}
