/**
 * Gather `charter report`'s facts through the reader, trusting only what Charter wrote: an
 * incident's record is the sealed state marker in the newest status comment **Charter's app**
 * wrote on the issue (a marker in anyone else's comment, or one whose seal does not verify, is
 * not counted, and is said so); a sign-off request is a pull request opened by Charter's bot whose
 * sealed request verifies; the log is the default branch's.
 */
import type { IncidentState } from "../../core/incidents/state.js";
import { decodeDone, decodeState, STATE_TAG, type DoneMarker } from "../../core/incidents/marker.js";
import { LogFile, type LogEntry } from "../../core/model/state.js";
import type { ReportFacts, RequestPullFact } from "../../core/report/facts.js";
import { decodeRequest, requestScope } from "../../core/trust/request.js";
import { parseYaml } from "../../load/yaml-document.js";
import type { RepoRef } from "../client.js";
import { isCharterAuthored, isCharterUser, type CharterIdentity } from "../identity.js";
import { newerThan, recover } from "../incidents/store.js";
import type { HistoryComment, HistoryReader } from "./reader.js";

export interface Gathered {
  facts: ReportFacts;
  /** What was not counted, and why, in words (forged or broken records, an invalid log). */
  notes: string[];
}

function issueNumber(url: string): number | undefined {
  const n = Number(url.slice(url.lastIndexOf("/") + 1));
  return Number.isInteger(n) && n > 0 ? n : undefined;
}

const hasStateMarker = (c: HistoryComment) => (c.body ?? "").includes(`<!-- ${STATE_TAG} `);

export async function gatherReportFacts(reader: HistoryReader, identity: CharterIdentity, repo: RepoRef, since: Date): Promise<Gathered> {
  const full = `${repo.owner}/${repo.repo}`;
  const sealing = { keys: identity.keys, repo: full };
  const notes: string[] = [];
  const [comments, pulls, logText] = await Promise.all([reader.comments(since), reader.closedPulls(since), reader.log()]);

  // Incidents: per issue, the newest of Charter's comments that carries a state marker.
  const newest = new Map<number, HistoryComment>();
  let forged = 0;
  for (const c of comments) {
    if (!hasStateMarker(c)) continue;
    const n = issueNumber(c.issue_url);
    if (n === undefined) continue;
    if (!isCharterAuthored(identity, c)) {
      forged++;
      continue;
    }
    const seen = newest.get(n);
    if (!seen || c.id > seen.id) newest.set(n, c);
  }
  if (forged > 0) notes.push(`${forged} incident record${forged === 1 ? "" : "s"} in comments Charter did not write ${forged === 1 ? "was" : "were"} not counted`);
  // As the app reads a record (src/github/incidents/store.ts): what Charter's later comments on the
  // issue record as done is merged in; a later comment from a newer episode means the record is stale.
  const later = new Map<number, { id: number; done: DoneMarker; at: string }[]>();
  for (const c of comments) {
    const n = issueNumber(c.issue_url);
    const status = n !== undefined ? newest.get(n) : undefined;
    if (n === undefined || !status || c.id <= status.id || !isCharterAuthored(identity, c)) continue;
    const done = decodeDone(c.body ?? "", sealing, n);
    if (done) later.set(n, [...(later.get(n) ?? []), { id: c.id, done, at: c.created_at }]);
  }
  const incidents: IncidentState[] = [];
  for (const [n, c] of [...newest.entries()].sort((a, b) => a[0] - b[0])) {
    const decoded = decodeState(c.body ?? "", sealing, n);
    if (!decoded?.ok) {
      if (decoded) notes.push(`#${n} not counted: ${decoded.reason}`);
      continue;
    }
    const after = (later.get(n) ?? []).sort((a, b) => a.id - b.id);
    if (after.some((d) => newerThan(decoded.state, d.done))) {
      notes.push(`#${n} not counted: Charter's later comments record a newer episode than its status comment (the record is not the latest)`);
      continue;
    }
    incidents.push(recover(decoded.state, after).state);
  }

  // Charter's own sign-off pull requests, by their sealed request.
  const requests: RequestPullFact[] = [];
  const merged: { pull: (typeof pulls)[number]; request: RequestPullFact["request"] }[] = [];
  for (const p of pulls) {
    if (!p.merged_at || !isCharterUser(identity, p.user)) continue;
    const decoded = decodeRequest(p.body, identity.keys, requestScope(full, p.head.ref));
    if (!decoded) continue;
    if (!decoded.ok) {
      notes.push(`pull request #${p.number} not counted: ${decoded.reason}`);
      continue;
    }
    merged.push({ pull: p, request: decoded.request });
  }
  const reviews = await Promise.all(merged.map((m) => reader.reviews(m.pull.number)));
  merged.forEach(({ pull, request }, i) => {
    requests.push({
      number: pull.number,
      request,
      openedAt: pull.created_at,
      ...(pull.merged_at ? { mergedAt: pull.merged_at } : {}),
      head: pull.head.sha,
      reviews: reviews[i]!.map((r) => ({
        by: r.user?.login ?? "",
        state: r.state,
        ...(r.submitted_at ? { at: r.submitted_at } : {}),
        ...(r.commit_id ? { commit: r.commit_id } : {}),
        bot: !r.user || r.user.type === "Bot",
      })),
    });
  });

  let log: LogEntry[] = [];
  if (logText !== undefined) {
    const doc = parseYaml(logText);
    const parsed = doc.syntaxErrors.length === 0 ? LogFile.safeParse(doc.value) : undefined;
    if (parsed?.success) log = parsed.data.entries;
    else notes.push("governance/state/log.yml on the default branch is not a valid log (`charter log --verify`): sign-offs and kill-switch figures from it are left out");
  }
  return { facts: { repo: full, incidents, pulls: requests, log, notCounted: notes }, notes };
}
