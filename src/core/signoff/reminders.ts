/**
 * Turnaround reminders (authority.yml `remind_after`, e.g. seed 003's "code review turnaround
 * under 24 hours"): the holders of a signer still missing `remind_after` after the pull request was
 * opened are reminded once on it; as long again later, the role's backups, once. Time is elapsed
 * time (weekends and DST changes included).
 *
 * What was reminded is derived from GitHub: each reminder comment Charter writes carries a sealed
 * marker listing what it reminded (`gate|signer|tier`), so a restart, a duplicate sweep or a
 * replay never reminds twice. The marker counts only in Charter's own comments, with a seal bound
 * to the repository and pull request; an edited or copied one counts for nothing (then Charter
 * would remind again, never fewer).
 *
 *     <!-- charter:reminded {"keys":["phase:P3->P4|role:sre-lead|holders"]} seal=… -->
 */
import { formatDuration } from "../duration.js";
import { utcTime } from "../killswitch/log.js";
import { checkSeal, seal, type SealKeys } from "../trust/seal.js";
import { isBot, sameLogin } from "./facts.js";
import type { SignoffTree } from "./evaluate.js";
import { signerKey } from "./gate.js";
import { shortSha } from "./words.js";

export type ReminderTier = "holders" | "backups";

export interface DueReminder {
  /** `gate|signer|tier`: what the marker records. */
  key: string;
  gate: string;
  /** The signer, e.g. `SRE Lead`. */
  label: string;
  tier: ReminderTier;
  /** Logins reminded (from roles.yml on the default branch). */
  people: string[];
  /** When it became due. */
  at: Date;
  /** The gate's `remind_after`, as written, where, and in milliseconds. */
  after: { text: string; where: string; ms: number };
}

export interface ReminderPlan {
  /** Reminders due now and not sent yet. */
  due: DueReminder[];
  /** The next instant one falls due, if any. */
  next?: Date;
}

export interface ReminderInput {
  /** When the pull request was opened (the turnaround clock starts there). */
  openedAt: Date;
  now: Date;
  /** Keys already reminded (from Charter's sealed markers on the pull request). */
  sent: ReadonlySet<string>;
}

/** What is due: per gate with `remind_after`, per signer still missing (not vetoed), holders then backups. */
export function planReminders(tree: SignoffTree, input: ReminderInput): ReminderPlan {
  const due: DueReminder[] = [];
  let next = Number.POSITIVE_INFINITY;
  for (const r of tree.gates) {
    const after = r.gate.remindAfter;
    if (!after || r.gate.refusal !== undefined) continue;
    for (const s of r.signers) {
      if (s.status !== "missing" || s.holders.anyone) continue;
      const could = (login: string) => s.couldSign.some((c) => sameLogin(c, login)) && !sameLogin(login, tree.author) && !isBot(login);
      const holders = s.holders.holders.filter(could);
      const backups = s.holders.backups.filter((b) => could(b) && !holders.some((h) => sameLogin(h, b)));
      const tiers: [ReminderTier, string[], number][] = [
        ["holders", holders, input.openedAt.getTime() + after.ms],
        ["backups", backups, input.openedAt.getTime() + 2 * after.ms],
      ];
      for (const [tier, people, at] of tiers) {
        const key = `${r.gate.key}|${signerKey(s.signer)}|${tier}`;
        if (people.length === 0 || input.sent.has(key)) continue;
        if (at <= input.now.getTime()) due.push({ key, gate: r.gate.title, label: s.label, tier, people, at: new Date(at), after: { text: after.text, where: after.where, ms: after.ms } });
        else next = Math.min(next, at);
      }
    }
  }
  return { due, ...(Number.isFinite(next) ? { next: new Date(next) } : {}) };
}

/** The reminder comment (people are mentioned: that is the point), with its sealed marker. */
export function reminderComment(plan: readonly DueReminder[], tree: Pick<SignoffTree, "headSha">, openedAt: Date, marker: string): string {
  const first = plan[0]!;
  const lines = [
    `⏰ **Sign-off reminder.** This pull request has waited since ${utcTime(openedAt)} for sign-off (turnaround ${first.after.text}, authority.yml \`${first.after.where}\`):`,
    "",
  ];
  for (const d of plan) {
    const who = d.people.map((p) => `@${p}`).join(", ");
    lines.push(`- **${d.gate}**, ${d.label}${d.tier === "backups" ? ` (backup${d.people.length === 1 ? "" : "s"}, ${formatDuration(2 * d.after.ms)} without a sign-off)` : ""}: ${who}`);
  }
  lines.push("", `Approve the head commit \`${shortSha(tree.headSha)}\` to sign; \`/explain\` shows everything still missing.`, marker);
  return lines.join("\n");
}

const MARK = "<!-- charter:reminded ";
/** GitHub's longest comment: a marker further in is not Charter's. */
const MAX_BODY = 131_072;

/** Where a reminder marker lives: the repository and the pull request. */
export function reminderScope(repoFullName: string, number: number): string {
  return `reminded:${repoFullName.toLowerCase()}#${number}`;
}

function payloadOf(keys: readonly string[]): string {
  return JSON.stringify({ keys: [...keys] }).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

export function encodeReminded(keys: readonly string[], sealKeys: SealKeys, scope: string): string {
  const payload = payloadOf(keys);
  return `${MARK}${payload} seal=${seal(sealKeys, scope, payload)} -->`;
}

/** The keys a comment's marker records; undefined without a marker, or with one that does not verify. Linear. */
export function decodeReminded(body: string | null | undefined, sealKeys: SealKeys, scope: string): string[] | undefined {
  const text = (body ?? "").slice(0, MAX_BODY);
  const start = text.indexOf(MARK);
  if (start < 0) return undefined;
  const end = text.indexOf(" -->", start);
  if (end < 0) return undefined;
  const inner = text.slice(start + MARK.length, end);
  const cut = inner.lastIndexOf(" seal=");
  if (cut < 0) return undefined;
  const payload = inner.slice(0, cut);
  if (checkSeal(sealKeys, scope, payload, inner.slice(cut + " seal=".length)) === "invalid") return undefined;
  try {
    const parsed = JSON.parse(payload) as { keys?: unknown };
    return Array.isArray(parsed.keys) && parsed.keys.every((k) => typeof k === "string") ? (parsed.keys as string[]) : undefined;
  } catch {
    return undefined;
  }
}
