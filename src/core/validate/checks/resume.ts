import { formatDuration, parseDuration } from "../../duration.js";
import type { ResumeRule } from "../../model/authority.js";
import type { Governance } from "../../model/governance.js";
import type { Problem } from "../problem.js";

const FILE = "authority.yml";

/** One kind of pause, as far as resume rules can tell pauses apart. */
interface Situation {
  /** The pause has lasted at least this long (the start of an interval between rule boundaries). */
  pausedMs: number;
  /** The end of that interval (exclusive), for messages; undefined = no end. */
  untilMs: number | undefined;
  dataIntegrity: boolean;
  afterRollback: boolean;
  scope: "global" | "workspace";
}

interface Bounds {
  least: number;
  under: number | undefined;
}

function bounds(rule: ResumeRule): Bounds | undefined {
  const least = rule.when.paused_at_least === undefined ? 0 : parseDuration(rule.when.paused_at_least);
  const under = rule.when.paused_under === undefined ? undefined : parseDuration(rule.when.paused_under);
  if (least === undefined || (rule.when.paused_under !== undefined && under === undefined)) return undefined;
  return { least, under };
}

function matches(rule: ResumeRule, b: Bounds, s: Situation): boolean {
  const w = rule.when;
  return (
    s.pausedMs >= b.least &&
    (b.under === undefined || s.pausedMs < b.under) &&
    (w.data_integrity === undefined || w.data_integrity === s.dataIntegrity) &&
    (w.after_rollback === undefined || w.after_rollback === s.afterRollback) &&
    (w.scope === undefined || w.scope === s.scope)
  );
}

function describe(s: Situation): string {
  const length =
    s.untilMs === undefined
      ? s.pausedMs === 0 ? "of any length" : `of ${formatDuration(s.pausedMs)} or more`
      : s.pausedMs === 0 ? `shorter than ${formatDuration(s.untilMs)}` : `of ${formatDuration(s.pausedMs)} up to ${formatDuration(s.untilMs)}`;
  return `a ${s.scope} pause ${length}, ${s.dataIntegrity ? "after a data-integrity event" : "not a data-integrity event"}, ${s.afterRollback ? "with a rollback" : "without a rollback"}`;
}

function ruleName(rule: ResumeRule, i: number): string {
  return `resume rule ${i + 1} "${rule.title}"`;
}

/**
 * kill_switch.resume is tried in order and the first matching rule applies. Report rules that can
 * never match (contradictory bounds, or shadowed by earlier rules) and pauses no rule covers
 * (nobody could ever resume them). Exact: the situations are finitely many once pause lengths are
 * cut at every bound any rule mentions.
 */
export function resumeProblems(g: Governance): Problem[] {
  const ks = g.authority?.kill_switch;
  if (!ks) return [];
  const rules = ks.resume;
  const problems: Problem[] = [];

  const ruleBounds = rules.map(bounds);
  const cuts = new Set<number>([0]);
  for (const b of ruleBounds) {
    if (!b) continue;
    cuts.add(b.least);
    if (b.under !== undefined) cuts.add(b.under);
  }
  const sorted = [...cuts].sort((x, y) => x - y);
  const scenarios = Object.values(ks.activation);
  // Data-integrity pauses happen only if some scenario is a data-integrity event (and vice versa).
  const integrity = scenarios.length ? [false, true].filter((v) => scenarios.some((s) => (s.data_integrity === true) === v)) : [false, true];
  const situations: Situation[] = [];
  sorted.forEach((pausedMs, k) => {
    for (const dataIntegrity of integrity) {
      for (const afterRollback of [false, true]) {
        for (const scope of ["global", "workspace"] as const) situations.push({ pausedMs, untilMs: sorted[k + 1], dataIntegrity, afterRollback, scope });
      }
    }
  });

  const firstMatch = situations.map((s) => rules.findIndex((rule, i) => ruleBounds[i] !== undefined && matches(rule, ruleBounds[i]!, s)));

  rules.forEach((rule, i) => {
    const b = ruleBounds[i];
    if (!b) return; // an unparseable duration: reported by durations.ts
    const path = ["kill_switch", "resume", i, "when"];
    if (b.under !== undefined && b.under <= b.least) {
      problems.push({
        file: FILE,
        path,
        message: `${ruleName(rule, i)} can never apply: no pause is ${b.least > 0 ? `both at least ${rule.when.paused_at_least} and ` : ""}shorter than ${rule.when.paused_under}`,
        hint: "`paused_at_least` must be less than `paused_under`: the rule covers pauses from the first up to the second",
      });
      return;
    }
    const mine = situations.map((s, k) => ({ s, k })).filter(({ s }) => matches(rule, b, s));
    if (mine.length === 0) return;
    const winners = new Set(mine.map(({ k }) => firstMatch[k]!));
    if (!winners.has(i)) {
      const earlier = [...winners].sort((x, y) => x - y).map((w) => ruleName(rules[w]!, w));
      problems.push({
        file: FILE,
        path,
        message: `${ruleName(rule, i)} can never apply: every pause it covers is matched first by ${earlier.join(" or ")}`,
        hint: "the first matching rule applies: move this rule above the broader one, or narrow the earlier rule's `when`",
      });
    }
  });

  const uncovered = situations.find((_, k) => firstMatch[k] === -1);
  if (uncovered) {
    problems.push({
      file: FILE,
      path: ["kill_switch", "resume"],
      message: `no resume rule applies to ${describe(uncovered)}: nobody could resume such a pause`,
      hint: "end kill_switch.resume with a rule that matches every remaining pause (`when: {}`), or add a rule for this case",
    });
  }
  return problems;
}
