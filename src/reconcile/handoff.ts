/**
 * Handoff messages (D9 §3.3), as a level-triggered sweep task (src/reconcile/task.ts): every pass
 * recomputes from the default branch's oncall.yml and the time whether a handoff is due (at or
 * before now, no more than `handoff_messages.late` ago) and makes sure its message exists, once:
 *
 * 1. nothing is due (almost every pass): no request at all;
 * 2. this process already announced it: no request;
 * 3. otherwise Charter's records on the "On-call handoffs" issue are read: a record of this
 *    handoff (schedule and instant) means it was announced, by this or another process, before or
 *    after a restart (its deliveries left pending are taken up);
 * 4. otherwise the open incidents, active kill-switches and pending approvals are gathered, the
 *    message is posted (mentioning the outgoing and incoming people) with its sealed record, and
 *    sent to the `handoff` routes and the tiers' contacts in the background. Two processes racing
 *    both post, see each other, and the younger comment deletes itself before sending anything
 *    (src/github/records/store.ts `postOnce`).
 *
 * `nextHandoffDueAt` (src/core/handoff/instants.ts) is the instant to run it at as a timer.
 */
import { dueHandoffs, handoffKey, type Handoff } from "../core/handoff/instants.js";
import { handoffComment, handoffMessage, type HandoffFacts } from "../core/handoff/message.js";
import type { Governance } from "../core/model/governance.js";
import type { CharterDeps } from "../handlers/deps.js";
import { resumeRecord, sentSection, startRecordDeliveries, withMessages, type NotifyRecord, type RecordEnv } from "../github/records/deliver.js";
import { listRecords, postOnce } from "../github/records/store.js";
import { handoffsIssue, openIncidents, pendingApprovals } from "./handoff-facts.js";
import type { SweepInput, SweepTask } from "./task.js";

export const HANDOFFS = "handoffs";

/** A handoff's record: its schedule and instant (the key), and what was sent where. */
export interface HandoffRecord extends NotifyRecord {
  schedule: string;
  at: string;
}

interface Memory {
  issues: Map<string, number>;
  /** `repo|key` of handoffs this process has seen announced. */
  done: Set<string>;
}

const memories = new WeakMap<CharterDeps, Memory>();

function memoryOf(deps: CharterDeps): Memory {
  let m = memories.get(deps);
  if (!m) {
    m = { issues: new Map(), done: new Set() };
    memories.set(deps, m);
  }
  return m;
}

const DAY_MS = 86_400_000;

/** Announce handoff `h` once (see the module comment). Returns what was done, in words, or undefined when it was already announced. */
export async function announceHandoff(input: SweepInput, g: Governance, h: Handoff, facts: () => Promise<Omit<HandoffFacts, "url">>): Promise<string | undefined> {
  const identity = await input.deps.identity();
  const env: RecordEnv = { gh: input.gh, repo: input.repo, identity, g, log: input.log, ...(input.deps.notify ? { notify: input.deps.notify } : {}) };
  const memory = memoryOf(input.deps);
  const key = handoffKey(h);
  const memo = `${input.repo.owner}/${input.repo.repo}|${key}`.toLowerCase();
  if (memory.done.has(memo)) return undefined;
  const issue = await handoffsIssue(env, memory.issues);
  const since = new Date(h.at.getTime() - DAY_MS).toISOString();
  const existing = (await listRecords<HandoffRecord>(env, issue, { since, key: (k) => k === key }))[0];
  if (existing) {
    await resumeRecord(env, issue, existing, input.now);
    remember(memory, memo);
    return undefined;
  }
  const f: HandoffFacts = { ...(await facts()), url: `https://github.com/${input.repo.owner}/${input.repo.repo}/issues/${issue}` };
  const base: HandoffRecord = { v: 1, key, schedule: h.schedule, at: h.at.toISOString(), zone: h.zone };
  const { record, send } = withMessages(g, base, [handoffMessage(g, h, f)]);
  const posted = await postOnce(env, issue, handoffComment(g, h, f), record, since, { lookedAlready: true, section: sentSection(record.notify, h.zone) });
  remember(memory, memo);
  if (posted.kind === "exists") return undefined;
  startRecordDeliveries(env, issue, posted.comment.id, send);
  const who = h.changes.map((c) => `${c.title} ${c.from.join(", ") || "nobody"} → ${c.to.join(", ") || "nobody"}`).join("; ");
  return `handoff ${h.schedule} at ${h.at.toISOString()} announced on #${issue} (${who})${send.length ? `, sending to ${send.length} channel(s)` : ""}`;
}

function remember(memory: Memory, key: string): void {
  memory.done.add(key);
  if (memory.done.size > 1_000) memory.done.delete(memory.done.values().next().value as string);
}

export const handoffTask: SweepTask = {
  name: HANDOFFS,
  async run(input) {
    const report = { task: HANDOFFS, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    const g = input.snapshot.result.governance;
    const due = dueHandoffs(g, input.now);
    if (due.length === 0) return report;
    let gathered: Promise<Omit<HandoffFacts, "url">> | undefined;
    const facts = () =>
      (gathered ??= (async () => {
        const identity = await input.deps.identity();
        const [incidents, approvals] = await Promise.all([openIncidents(input.gh, input.repo, g), pendingApprovals(input.gh, input.repo, identity)]);
        return { repo: `${input.repo.owner}/${input.repo.repo}`, incidents, approvals };
      })());
    for (const h of due) {
      const done = await announceHandoff(input, g, h, facts);
      if (done) report.actions.push(done);
    }
    return report;
  },
};
