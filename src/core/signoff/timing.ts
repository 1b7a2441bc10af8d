/**
 * Time limits of a sign-off gate (authority.yml): `valid_for`, how long an approval counts, and
 * `remind_after`, when missing signers are reminded. A phase gate's own values win over the
 * defaults of `signoff`; rollbacks, resumes and OWNERS lines take the defaults.
 *
 * Durations are elapsed time: `72h` is 72 hours whatever the clocks do (a DST change, a weekend,
 * a week boundary), so an approval given on a Friday at 10:00 in Berlin before the spring change
 * expires on Monday at 11:00 local time.
 */
import { parseDuration } from "../duration.js";
import type { Gate } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import type { ReviewFact } from "./facts.js";
import type { SignoffGate } from "./gate.js";

export interface TimeLimit {
  ms: number;
  /** As written in authority.yml, e.g. `72h`. */
  text: string;
  /** Where it is written, e.g. `phases.gates[3].valid_for`, `signoff.valid_for`. */
  where: string;
}

function limit(text: string | undefined, where: string): TimeLimit | undefined {
  if (text === undefined) return undefined;
  const ms = parseDuration(text);
  return ms === undefined || ms <= 0 ? undefined : { ms, text, where };
}

/** A gate's time limits: its own (a phase gate's), else the defaults of `signoff`. */
export function gateTiming(g: Governance, own?: { gate: Gate; index: number }): Pick<SignoffGate, "validFor" | "remindAfter"> {
  const defaults = g.authority?.signoff;
  const validFor = limit(own?.gate.valid_for, `phases.gates[${own?.index}].valid_for`) ?? limit(defaults?.valid_for, "signoff.valid_for");
  const remindAfter = limit(own?.gate.remind_after, `phases.gates[${own?.index}].remind_after`) ?? limit(defaults?.remind_after, "signoff.remind_after");
  return { ...(validFor ? { validFor } : {}), ...(remindAfter ? { remindAfter } : {}) };
}

/** When an approval stops counting for a gate, or undefined when it does not expire there. */
export function expiresAt(gate: Pick<SignoffGate, "validFor">, review: Pick<ReviewFact, "submittedAt">): Date | undefined {
  if (!gate.validFor) return undefined;
  const at = review.submittedAt ? Date.parse(review.submittedAt) : Number.NaN;
  // a review without a time cannot be shown to be recent: it has expired (fail closed)
  return new Date(Number.isNaN(at) ? 0 : at + gate.validFor.ms);
}

/** Whether the approval has expired for the gate at `now`: older than `valid_for`. */
export function hasExpired(gate: Pick<SignoffGate, "validFor">, review: Pick<ReviewFact, "submittedAt">, now: Date): boolean {
  const end = expiresAt(gate, review);
  return end !== undefined && now.getTime() > end.getTime();
}

/** Whether any gate can change with time alone: a `valid_for` or `remind_after` anywhere. */
export function usesSignoffTimers(g: Governance): boolean {
  const d = g.authority?.signoff;
  if (d?.valid_for !== undefined || d?.remind_after !== undefined) return true;
  return (g.authority?.phases?.gates ?? []).some((x) => x.valid_for !== undefined || x.remind_after !== undefined);
}
