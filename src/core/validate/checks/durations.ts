import { parseDuration } from "../../duration.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";
import type { YamlPath } from "./refs.js";

export const DURATION_HINT = "write a number and a unit with no space: 90s, 15m, 1h, 1h30m, 24h, 5d or 2w (0 for none)";

interface DurationField {
  file: string;
  path: YamlPath;
  text: string;
  /** What the value means, for the message. */
  what: string;
  /** Zero makes no sense here: say why. */
  zero?: string;
}

/** Every duration in the model, with what it means. */
export function durationFields(g: Governance): DurationField[] {
  const out: DurationField[] = [];
  const add = (file: string, path: YamlPath, text: string | undefined, what: string, zero?: string) => {
    if (text !== undefined) out.push({ file, path, text, what, ...(zero ? { zero } : {}) });
  };
  for (const [name, sev] of Object.entries(g.incidents?.severities ?? {})) {
    const base: YamlPath = ["severities", name];
    add("incidents.yml", [...base, "ack_within"], sev.ack_within, `severity ${name} ack_within`, "every incident would be overdue the moment it opens; give the time allowed to acknowledge, e.g. 15m");
    sev.escalation.forEach((step, i) => add("incidents.yml", [...base, "escalation", i, "after"], step.after, `severity ${name} escalation step ${i + 1} after`));
    add("incidents.yml", [...base, "repeat", "every"], sev.repeat?.every, `severity ${name} repeat every`, "pages would repeat without pause; give an interval, e.g. 15m");
    add("incidents.yml", [...base, "updates_every"], sev.updates_every, `severity ${name} updates_every`, "Charter would ask for an update continuously; give a cadence, e.g. 30m, or remove `updates_every`");
    add("incidents.yml", [...base, "review", "within"], sev.review?.within, `severity ${name} review within`);
    add("incidents.yml", [...base, "ack_timeout"], sev.ack_timeout, `severity ${name} ack_timeout`, "every acknowledgement would lapse the moment it is given; give the time an acknowledgement holds without an update, e.g. 30m");
  }
  for (const [sid, schedule] of Object.entries(g.oncall?.schedules ?? {})) {
    for (const [tid, tier] of Object.entries(schedule.tiers)) add("oncall.yml", ["schedules", sid, "tiers", tid, "response"], tier.response, `tier ${sid}/${tid} response`);
  }
  const ks = g.authority?.kill_switch;
  for (const [id, s] of Object.entries(ks?.activation ?? {})) {
    const base: YamlPath = ["kill_switch", "activation", id];
    if (s.approval !== "none") {
      add("authority.yml", [...base, "approval", "within"], s.approval.within, `scenario ${id} approval within`);
      add("authority.yml", [...base, "approval", "in_advance"], s.approval.in_advance, `scenario ${id} approval in_advance`);
    }
    add("authority.yml", [...base, "notify", "within"], s.notify.within, `scenario ${id} notify within`);
    add("authority.yml", [...base, "notify", "in_advance"], s.notify.in_advance, `scenario ${id} notify in_advance`);
  }
  const sig = g.authority?.signoff;
  add("authority.yml", ["signoff", "valid_for"], sig?.valid_for, "signoff valid_for", "every approval would expire the moment it is given; give how long one counts, e.g. 72h, or remove `valid_for`");
  add("authority.yml", ["signoff", "remind_after"], sig?.remind_after, "signoff remind_after", "signers would be reminded the moment a pull request opens; give the turnaround, e.g. 24h, or remove `remind_after`");
  (g.authority?.phases?.gates ?? []).forEach((gate, i) => {
    add("authority.yml", ["phases", "gates", i, "valid_for"], gate.valid_for, `gate ${gate.from} → ${gate.to} valid_for`, "every approval would expire the moment it is given; give how long one counts, e.g. 72h");
    add("authority.yml", ["phases", "gates", i, "remind_after"], gate.remind_after, `gate ${gate.from} → ${gate.to} remind_after`, "signers would be reminded the moment a pull request opens; give the turnaround, e.g. 24h");
  });
  const bg = g.authority?.break_glass;
  add("authority.yml", ["break_glass", "review", "within"], bg?.review.within, "break_glass review within", "every break-glass review would be overdue the moment it opens; give the time allowed, e.g. 24h");
  (bg?.review.escalation ?? []).forEach((step, i) => add("authority.yml", ["break_glass", "review", "escalation", i, "after"], step.after, `break_glass review escalation step ${i + 1} after`));
  (ks?.resume ?? []).forEach((rule, i) => {
    add("authority.yml", ["kill_switch", "resume", i, "when", "paused_under"], rule.when.paused_under, `resume rule ${i + 1} paused_under`);
    add("authority.yml", ["kill_switch", "resume", i, "when", "paused_at_least"], rule.when.paused_at_least, `resume rule ${i + 1} paused_at_least`);
  });
  return out;
}

/**
 * Durations parse, and are not zero where zero makes no sense. The schema's pattern already rejects
 * most typos ("15 mins"); this check is the friendly backstop for models built in code, and the
 * only place that knows a zero acknowledgement deadline is a mistake.
 */
export function durationProblems(g: Governance): Problem[] {
  const problems: Problem[] = [];
  for (const f of durationFields(g)) {
    const ms = parseDuration(f.text);
    if (ms === undefined) {
      problems.push({ file: f.file, path: f.path, message: `${f.what}: \`${f.text}\` is not a duration`, hint: DURATION_HINT });
    } else if (ms === 0 && f.zero) {
      problems.push({ file: f.file, path: f.path, message: `${f.what} is 0`, hint: f.zero });
    }
  }
  return problems;
}
