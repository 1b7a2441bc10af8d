/**
 * Deployment days as a sweep task (level-triggered, src/reconcile/task.ts): for each open issue
 * with a deployment label, Charter's record is read; a status update missed (none within
 * `updates.every` of the last one, or of the go) is reminded once per due instant, to the
 * Deployment Lead on the issue (@-mention) and to the `deployment.reminder` routes and the lead
 * role's contacts; deliveries a stopped process left are taken up. A deployment issue without
 * Charter's status comment (a missed webhook) gets it, when its author has access.
 *
 * `nextDeploymentDueAt` gives the instant the next reminder is due, for an exact timer.
 */
import { hasRepositoryAccess } from "../core/access/association.js";
import { deploymentKindOf } from "../core/deployment/form.js";
import { dueReminder, remind } from "../core/deployment/state.js";
import type { Governance } from "../core/model/governance.js";
import { peopleFor } from "../core/killswitch/people.js";
import { changeDeployment, deploymentDue, findDeployment, openDeployment, rememberDue, resumeDeployment, type DeploymentEnv } from "../github/deployment/store.js";
import type { SweepTask } from "./task.js";

export const DEPLOYMENTS = "deployments";

interface IssueLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  created_at: string;
  author_association: string;
  pull_request?: unknown;
  labels: (string | { name?: string })[];
}

/** Open deployment issues: one request per deployment label. */
export async function openDeploymentIssues(env: Pick<DeploymentEnv, "gh" | "repo">, g: Governance): Promise<{ kind: string; issue: IssueLike }[]> {
  const out: { kind: string; issue: IssueLike }[] = [];
  const seen = new Set<number>();
  for (const d of Object.values(g.deployments?.deployments ?? {})) {
    const issues = (await env.gh.paginate("GET /repos/{owner}/{repo}/issues", { ...env.repo, state: "open", labels: d.label, per_page: 100 })) as IssueLike[];
    for (const i of issues) {
      if (i.pull_request || seen.has(i.number)) continue;
      const kind = deploymentKindOf(g.deployments, i.labels.map((l) => (typeof l === "string" ? l : (l.name ?? ""))), i.body);
      if (!kind) continue;
      seen.add(i.number);
      out.push({ kind, issue: i });
    }
  }
  return out;
}

export const deploymentTask: SweepTask = {
  name: DEPLOYMENTS,
  async run(input) {
    const report = { task: DEPLOYMENTS, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    if (!g.deployments) return report;
    const identity = await input.deps.identity();
    const env: DeploymentEnv = { gh: input.gh, repo: input.repo, identity, g, log: input.log, now: input.now, memo: input.deps.governance, ...(input.deps.notify ? { notify: input.deps.notify } : {}) };
    const open = await openDeploymentIssues(env, g);
    const due = deploymentDue(input.deps.governance, `${input.repo.owner}/${input.repo.repo}`.toLowerCase());
    for (const n of [...due.keys()]) if (!open.some((o) => o.issue.number === n)) due.delete(n); // closed since
    for (const { kind, issue } of open) {
      const facts = { number: issue.number, title: issue.title, body: issue.body ?? "", url: issue.html_url, createdAt: issue.created_at };
      let rc = await findDeployment(env, issue.number);
      if (!rc) {
        if (!hasRepositoryAccess(issue.author_association)) continue;
        rc = await openDeployment(env, kind, facts);
        report.actions.push(`#${issue.number}: status comment posted`);
      }
      await resumeDeployment(env, issue.number, rc);
      const d = g.deployments.deployments[rc.record.state.kind] ?? g.deployments.deployments[kind]!;
      rememberDue(env, issue.number, d, rc.record.state);
      if (dueReminder(d, rc.record.state, input.now).at === undefined) continue;
      let reminded: string | undefined;
      const r = await changeDeployment(
        env,
        kind,
        facts,
        (c, s) => {
          const due = dueReminder(c.d, s, c.now).at; // again, from the record read under the lock
          if (due === undefined) return { refused: "already reminded" };
          reminded = new Date(due).toISOString();
          const { state, messages } = remind(c, s, due);
          return { state, messages };
        },
        () => peopleFor(g, [d.lead], input.now),
      );
      if (!("refused" in r)) report.actions.push(`#${issue.number}: reminded the Deployment Lead of the status update due at ${reminded}`);
    }
    return report;
  },
};
