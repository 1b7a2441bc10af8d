/** Checks shared by the fault tests: duplicates, lost log entries, silent losses, bounded retries. */
import { parse } from "yaml";
import type { RetryEvent } from "../../../src/github/octokit-options.js";
import { verifyChain } from "../../../src/core/log/chain.js";
import type { LogEntry as ChainedEntry } from "../../../src/core/model/state.js";
import { TOLD_TO_RETRY, type Outcome, type ScriptRun } from "./script.js";
import { REPO, type FaultWorld } from "./world.js";

/** Ids that depend on how many objects were created before (comment ids) do not count. */
export function normaliseIds(text: string): string {
  return text.replace(/issuecomment-\d+/g, "issuecomment-N").replace(/\b(activate|approve|reject|resume|approval-overdue|breakglass|breakglass-signed|breakglass-escalated)-\d+\b/g, "$1-N");
}

/**
 * The parts of the outcome a reconcile must restore exactly: check runs, switches, log, phase,
 * issue state. Racing writers may land in either order, so the order of switches, log entries and
 * of the lines and list items that name them does not count; their content does.
 */
export function stateOf(o: Outcome): unknown {
  const issues: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o.issues)) issues[k] = { state: v.state, labels: v.labels, assignees: v.assignees };
  const n = (s: string | null | undefined) => (s == null ? s : normaliseIds(s));
  const lines = (s: string | null | undefined) => (s == null ? s : n(s)!.split("\n").sort());
  const items = (s: string | null | undefined) => (s == null ? s : n(s)!.split(/, | and /).sort());
  const checks: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o.checks)) checks[k] = { ...v, title: items(v.title), summary: lines(v.summary) };
  const switches = (parse(n(o.killswitch) ?? "") as { switches?: Record<string, unknown> } | null)?.switches ?? {};
  // the log's hash chain depends on ids and on the order racing writers landed in: it must hold,
  // and is compared as "holds" (src/core/log/chain.ts), not hash by hash
  const log = logEntries(n(o.log) ?? undefined)
    .map(({ seq: _seq, prev: _prev, ...e }) => JSON.stringify(e))
    .sort();
  const chain = verifyChain(logEntries(o.log ?? undefined) as ChainedEntry[]).broken?.kind ?? "holds";
  return { checks, switches, log, chain, phase: n(o.phase), issues };
}

/**
 * Duplicates a person would see: a bot comment that appears twice on the same issue (a page, a
 * reminder, an incident message), or a command answered more times than people gave it (a reply
 * quotes the command's first line and mentions its author; "could not finish, run it again" does
 * not count as an answer).
 */
export function duplicateComments(o: Outcome): { issue: string; body: string; times: number; asked?: number }[] {
  const out: { issue: string; body: string; times: number; asked?: number }[] = [];
  for (const [issue, v] of Object.entries(o.issues)) {
    const counts = new Map<string, number>();
    const answers = new Map<string, number>();
    for (const b of v.botComments) {
      const command = v.commands.find((c) => b.startsWith(c));
      if (command === undefined) counts.set(b, (counts.get(b) ?? 0) + 1);
      else if (!TOLD_TO_RETRY.test(b)) answers.set(command, (answers.get(command) ?? 0) + 1);
    }
    for (const [body, times] of counts) if (times > 1) out.push({ issue, body: body.slice(0, 160), times });
    for (const [command, times] of answers) {
      const asked = v.commands.filter((c) => c === command).length;
      if (times > asked) out.push({ issue, body: command.trim(), times, asked });
    }
  }
  return out;
}

export interface LogEntry {
  id?: string;
  action?: string;
  actor?: string;
  scope?: string;
  seq?: number;
  prev?: string;
}

export function logEntries(text: string | undefined): LogEntry[] {
  if (text === undefined) return [];
  const doc = parse(text) as { entries?: LogEntry[] } | null;
  return doc?.entries ?? [];
}

/** `action actor scope` of each entry, sorted: what must be there, whatever the ids. */
export function logFacts(text: string | undefined): string[] {
  return logEntries(text)
    .map((e) => `${e.action} ${e.actor} ${e.scope}`)
    .sort();
}

export function duplicateLogIds(text: string | undefined): string[] {
  const ids = logEntries(text).map((e) => e.id ?? "");
  return ids.filter((id, i) => ids.indexOf(id) !== i);
}

/**
 * Commands nobody can tell the fate of: Charter neither reacted nor replied, and every delivery of
 * the comment was answered 2xx (so GitHub's delivery log shows no failure to redeliver).
 */
export function silentlyLostCommands(w: FaultWorld, run: ScriptRun, answeredWithoutReaction: string[] = []): string[] {
  const lost: string[] = [];
  for (const [name, id] of Object.entries(run.commands)) {
    if (answeredWithoutReaction.includes(name)) continue;
    const reacted = w.botReactions(id).length > 0;
    const body = w.gh.getComment(REPO, id).body.split("\n")[0]!.slice(0, 200);
    const replied = w.botComments(run.incident).some((b) => b.startsWith(`> ${body}`));
    if (reacted || replied) continue;
    const deliveries = w.deliveries.filter((d) => d.event === "issue_comment" && d.commentId === id);
    if (deliveries.length > 0 && deliveries.every((d) => d.status >= 200 && d.status < 300)) lost.push(name);
  }
  return lost;
}

/** The most attempts any one logical request made (1 + its retries). */
export function maxAttempts(retries: readonly RetryEvent[]): number {
  const byOp = new Map<number, number>();
  for (const r of retries) byOp.set(r.operation, Math.max(byOp.get(r.operation) ?? 0, r.retry));
  return 1 + Math.max(0, ...byOp.values());
}

/**
 * Charter's comments that are not replies to a command (incident messages, pages, reminders, RACI
 * notices), per issue, ids and volatile details normalised: what must not be lost.
 */
export function notices(o: Outcome): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [issue, v] of Object.entries(o.issues)) {
    out[issue] = v.botComments
      .filter((b) => !v.commands.some((c) => b.startsWith(c)))
      .map((b) => normaliseIds(b).replace(/<!-- charter:[\s\S]*?-->/g, "<!-- charter state -->"))
      .sort();
  }
  return out;
}
