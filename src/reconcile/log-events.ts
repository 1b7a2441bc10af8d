/**
 * Messages for the activation log's events (src/core/notify/log-events.ts): kill-switch activated,
 * approved, resumed; approval needed; GA declared. Run on every push to the default branch that
 * touches `governance/state/log.yml` (so a message leaves as soon as the entry is written, by
 * whichever path wrote it) and by the sweep as a safety net.
 *
 * Each event is sent once: its record (the message and what was sent where, sealed) is posted on
 * the issue or pull request the entry links to, post-then-verify (src/github/records/store.ts), so a
 * second push, a sweep, a restart or a replica finds it and sends nothing again; deliveries a
 * stopped process left are taken up. Events with no route in notify.yml cost nothing (no comment).
 * Entries older than an hour when first seen are history, not news: never announced.
 */
import type { Governance } from "../core/model/governance.js";
import { recentLogEvents, type LogEvent } from "../core/notify/log-events.js";
import type { CharterDeps } from "../handlers/deps.js";
import { resumeRecord, sentSection, startRecordDeliveries, withMessages, type NotifyRecord, type RecordEnv } from "../github/records/deliver.js";
import { listRecords, postOnce } from "../github/records/store.js";
import type { SweepInput, SweepTask } from "./task.js";

export const LOG_EVENTS = "log-events";
export const LOOKBACK_MS = 3_600_000;

const memories = new WeakMap<CharterDeps, Set<string>>();
function memoryOf(deps: CharterDeps): Set<string> {
  let m = memories.get(deps);
  if (!m) memories.set(deps, (m = new Set()));
  return m;
}
function remember(m: Set<string>, key: string): void {
  m.add(key);
  if (m.size > 5_000) m.delete(m.values().next().value as string);
}

const EVENT_WORDS: Record<string, string> = {
  "killswitch.activated": "🛑 Kill-switch activated",
  "killswitch.approved": "✅ Kill-switch activation approved",
  "killswitch.resumed": "▶️ Kill-switch resumed",
  "approval.needed": "✍️ Approval needed",
  "ga.declared": "🎉 GA declared",
};

/** Send the messages of recent log entries that are not sent yet. Returns what was done, in words. */
export async function announceLogEvents(input: Pick<SweepInput, "gh" | "repo" | "now" | "deps" | "log">, g: Governance): Promise<string[]> {
  const done: string[] = [];
  if (!g.notify) return done;
  const repoName = `${input.repo.owner}/${input.repo.repo}`;
  const memory = memoryOf(input.deps);
  const events = recentLogEvents(g, repoName, input.now, LOOKBACK_MS);
  if (events.length === 0) return done;
  const identity = await input.deps.identity();
  const env: RecordEnv = { gh: input.gh, repo: input.repo, identity, g, log: input.log, ...(input.deps.notify ? { notify: input.deps.notify } : {}) };
  for (const ev of events) {
    const memo = `${repoName}|${ev.message.key}`.toLowerCase();
    if (memory.has(memo)) continue;
    const base: NotifyRecord = { v: 1, key: `event:${ev.message.key}`, zone: "UTC" };
    const { record, send } = withMessages(g, base, [ev.message]);
    if (send.length === 0 || ev.issue === undefined) {
      // no route for it, or no thread to keep its record on (said once per process)
      if (send.length > 0) input.log.warn({ entry: ev.entry.id, event: ev.event }, `log entry ${ev.entry.id}: ${ev.event} has no issue or pull request link to keep its record on; not sent`);
      remember(memory, memo);
      continue;
    }
    const since = new Date(Date.parse(ev.entry.timestamp) - LOOKBACK_MS).toISOString();
    const existing = (await listRecords<NotifyRecord>(env, ev.issue, { since, key: (k) => k === base.key }))[0];
    if (existing) {
      await resumeRecord(env, ev.issue, existing, input.now);
      remember(memory, memo);
      continue;
    }
    const posted = await postOnce(env, ev.issue, recordText(ev), record, since, { lookedAlready: true, section: sentSection(record.notify, "UTC") });
    remember(memory, memo);
    if (posted.kind === "exists") continue;
    startRecordDeliveries(env, ev.issue, posted.comment.id, send);
    done.push(`${ev.event} (log entry ${ev.entry.id}) on #${ev.issue}: sending to ${send.length} channel(s)`);
  }
  return done;
}

function recordText(ev: LogEvent): string {
  return `<sub>${EVENT_WORDS[ev.event] ?? ev.event}: Charter sends it to the channels notify.yml routes \`${ev.event}\` to (log entry \`${ev.entry.id}\`).</sub>`;
}

export const logEventsTask: SweepTask = {
  name: LOG_EVENTS,
  async run(input) {
    const report = { task: LOG_EVENTS, actions: [] as string[] };
    if (!input.snapshot.result.ok) return report;
    report.actions.push(...(await announceLogEvents(input, input.snapshot.result.governance)));
    return report;
  },
};
