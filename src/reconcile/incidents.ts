import { incidentCaches } from "../github/incidents/cache.js";
import { reconcileIncident } from "../github/incidents/engine.js";
import { incidentGovernance, listOpenIncidents } from "../github/incidents/list.js";
import type { SweepInput, SweepReport, SweepTask } from "./task.js";

/**
 * The incident sweep: list open incidents (by the incident label and by every severity label, one
 * request per label and 100 incidents, plus the incidents this process knows to be open), and for
 * each one whose state may have something due, read its state, do what is due once, put back
 * labels that were removed, write the state back. An incident this process has seen, unchanged
 * since (same comment count) and with nothing due before its next due instant, costs no request.
 */
export const incidentSweepTask: SweepTask = {
  name: "incidents",
  async run(input: SweepInput): Promise<SweepReport> {
    const caches = incidentCaches(input.deps.governance);
    const model = incidentGovernance(input.snapshot, caches, input.repo);
    if (!model) return { task: "incidents", actions: [] };
    if (model.stale) input.log.warn("governance on the default branch is invalid; incidents run on the last valid model");
    const identity = await input.deps.identity();
    const incidents = await listOpenIncidents(input.gh, input.repo, model.inc, caches);
    const actions: string[] = [];
    for (const issue of incidents) {
      try {
        const done = await reconcileIncident(
          { gh: input.gh, repo: input.repo, g: model.g, inc: model.inc, now: input.now, caches, identity, log: input.log, ...(input.deps.notify ? { notify: input.deps.notify } : {}) },
          issue,
          { publicReports: "answer", ...(issue.comments !== undefined ? { stamp: issue.comments } : {}) },
        );
        actions.push(...done);
      } catch (error) {
        input.log.error({ err: error, issue: issue.number }, `incident #${issue.number}: sweep failed`);
        actions.push(`#${issue.number} failed: ${(error as Error).message}`);
      }
    }
    return { task: "incidents", actions };
  },
};
