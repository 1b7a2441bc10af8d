/**
 * What a handoff message needs from GitHub, and where it is posted:
 *
 * - the open incidents (the incident label and every severity label, as the incident sweep finds them);
 * - the pending approvals: open pull requests Charter opened for a sign-off (its bot user, with a
 *   request marker whose seal verifies for the pull request's branch), so a look-alike pull request
 *   by someone else is not listed;
 * - the "On-call handoffs" issue: one issue per repository that Charter opened and keeps, found by
 *   the sealed record in a comment of its own on it (so an issue someone else opened, or edited to
 *   look like it, is not used); created when there is none.
 */
import type { Governance } from "../core/model/governance.js";
import { requestedSeverity } from "../github/incidents/engine.js";
import { listOpenIncidents } from "../github/incidents/list.js";
import type { OpenIncident, PendingApproval } from "../core/handoff/message.js";
import { decodeRequest, requestScope } from "../core/trust/request.js";
import type { GitHubClient, RepoRef } from "../github/client.js";
import { isCharterUser, type CharterIdentity } from "../github/identity.js";
import { listRecords, postRecord, type RecordPlace } from "../github/records/store.js";

export async function openIncidents(gh: GitHubClient, repo: RepoRef, g: Governance): Promise<OpenIncident[]> {
  const inc = g.incidents;
  if (!inc) return [];
  const issues = await listOpenIncidents(gh, repo, inc);
  return issues.map((i) => {
    const severity = requestedSeverity(inc, i);
    return { number: i.number, title: i.title, url: i.url ?? "", assignees: i.assignees, ...(severity ? { severity } : {}) };
  });
}

interface PullLike {
  number: number;
  title: string;
  html_url: string;
  body?: string | null;
  user: { login: string; type?: string } | null;
  head: { ref: string };
}

/** Open pull requests Charter opened for a sign-off, with what each asks (verified request markers only). */
export async function pendingApprovals(gh: GitHubClient, repo: RepoRef, identity: CharterIdentity): Promise<PendingApproval[]> {
  const pulls = (await gh.paginate("GET /repos/{owner}/{repo}/pulls", { ...repo, state: "open", per_page: 100 })) as PullLike[];
  const out: PendingApproval[] = [];
  for (const p of pulls) {
    const request = charterRequest(identity, repo, p);
    if (request) out.push({ number: p.number, title: p.title, url: p.html_url, kind: request.kind, by: request.by });
  }
  return out.sort((a, b) => a.number - b.number);
}

/** The request of one of Charter's sign-off pull requests, when it is Charter's and its marker verifies. */
export function charterRequest(identity: CharterIdentity, repo: RepoRef, p: Pick<PullLike, "user" | "body" | "head">): { kind: string; by: string; issue: number; to?: string; from?: string } | undefined {
  if (!p.user || !isCharterUser(identity, { login: p.user.login, ...(p.user.type ? { type: p.user.type } : {}) })) return undefined;
  const d = decodeRequest(p.body ?? "", identity.keys, requestScope(`${repo.owner}/${repo.repo}`, p.head.ref));
  return d?.ok ? d.request : undefined;
}

/** The record that marks Charter's "On-call handoffs" issue (in Charter's first comment on it). */
export const HANDOFFS_ISSUE_KEY = "handoffs-issue";
export const HANDOFFS_ISSUE_TITLE = "On-call handoffs";

interface IssueLike {
  number: number;
  title: string;
  pull_request?: unknown;
  user: { login: string; type?: string } | null;
}

/**
 * The repository's "On-call handoffs" issue: the oldest issue opened by Charter's bot that carries
 * Charter's sealed `handoffs-issue` record; opened (with that record) when there is none.
 * `known`: this process's memory of it, per repository.
 */
export async function handoffsIssue(place: RecordPlace, known: Map<string, number>): Promise<number> {
  const key = `${place.repo.owner}/${place.repo.repo}`.toLowerCase();
  const remembered = known.get(key);
  if (remembered !== undefined) return remembered;
  const bot = place.identity.botLogin;
  if (bot) {
    const issues = (await place.gh.paginate("GET /repos/{owner}/{repo}/issues", { ...place.repo, creator: bot, state: "all", sort: "created", direction: "asc", per_page: 100 })) as IssueLike[];
    for (const i of issues) {
      if (i.pull_request || !isCharterUser(place.identity, i.user ? { login: i.user.login, ...(i.user.type ? { type: i.user.type } : {}) } : null)) continue;
      if (!i.title.startsWith(HANDOFFS_ISSUE_TITLE)) continue;
      const records = await listRecords(place, i.number, { key: (k) => k === HANDOFFS_ISSUE_KEY });
      if (records.length > 0) {
        known.set(key, i.number);
        return i.number;
      }
    }
  }
  const { data } = await place.gh.request("POST /repos/{owner}/{repo}/issues", {
    ...place.repo,
    title: HANDOFFS_ISSUE_TITLE,
    body: [
      "Charter posts a message here at each on-call handoff (oncall.yml `handoff_messages`, D9 §3.3): who hands over to whom, the open incidents, active kill-switches and pending approvals, and the handoff checklist.",
      "",
      "The outgoing and incoming people are mentioned, so GitHub notifies them; subscribe to this issue to follow every handoff. The same message goes to the channels notify.yml routes the `handoff` event to, and to the tiers' contacts.",
    ].join("\n"),
  });
  await postRecord(place, data.number, "This issue is Charter's record of on-call handoffs. Please keep it open (closing it does not stop the messages).", { v: 1, key: HANDOFFS_ISSUE_KEY });
  known.set(key, data.number);
  return data.number;
}
