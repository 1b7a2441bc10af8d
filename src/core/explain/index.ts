/**
 * Explanations of the governance model for people: `charter explain …` on the command line and
 * `/explain …` in GitHub. Pure functions of (governance, question, time) returning Markdown that
 * also reads as plain text.
 */
import type { ResumeFacts } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import { closest } from "../validate/suggest.js";
import { explainActivate } from "./activate.js";
import { usage, type ExplainResult } from "./format.js";
import { explainGate } from "./gate.js";
import { explainNotify } from "./notify.js";
import { explainPath } from "./path.js";
import { explainResume } from "./resume.js";
import { explainRole } from "./role.js";
import { explainRollback } from "./rollback.js";
import { explainSeverity } from "./severity.js";

export type { ExplainResult } from "./format.js";
export { explainActivate } from "./activate.js";
export { explainGate, parseGateSpec, renderGate, type GateSpec } from "./gate.js";
export { explainPath, ownersLine } from "./path.js";
export { explainResume, resumeConditions } from "./resume.js";
export { explainRole, findRole, roleMentions, type Mention } from "./role.js";
export { explainRollback } from "./rollback.js";
export { explainSeverity, findSeverity } from "./severity.js";
export { explainNotify, notifyPlan } from "./notify.js";
export { renderRaci, raciColumns, RACI_LEGEND } from "./raci.js";

/** What `explain` can be asked about. */
export const EXPLAIN_SUBJECTS = ["gate", "rollback", "resume", "activate", "path", "role", "severity", "notify"] as const;
export type ExplainSubject = (typeof EXPLAIN_SUBJECTS)[number];

export interface ExplainOptions {
  /** The instant at which on-call tiers are resolved. */
  at: Date;
  /** `resume` only: the pause, its scope and its circumstances. `pausedMs` is required for `resume`. */
  resume?: Partial<ResumeFacts>;
  /** How OWNERS is named in messages (default `governance/OWNERS`). */
  ownersFile?: string;
}

/** Answer `explain <subject> <words…>`. */
export function explain(g: Governance, subject: string, words: readonly string[], options: ExplainOptions): ExplainResult {
  const when = options.at;
  switch (subject) {
    case "gate":
      return explainGate(g, words, when);
    case "rollback":
      return explainRollback(g, words, when);
    case "resume": {
      if (words.length > 0) return usage(`resume takes options, not names: --paused <duration> [--scope global|workspace:<name>] [--data-integrity] [--after-rollback]`);
      const r = options.resume;
      if (r?.pausedMs === undefined) return usage("how long was it paused? give --paused <duration>, e.g. --paused 2h");
      return explainResume(g, { ...r, pausedMs: r.pausedMs }, when);
    }
    case "activate":
      return explainActivate(g, words, when);
    case "path":
      return explainPath(g, words, when, options.ownersFile);
    case "role":
      return explainRole(g, words, when);
    case "severity":
      return explainSeverity(g, words, when);
    case "notify":
      return explainNotify(g, words, when);
    default: {
      const suggestion = closest(subject, EXPLAIN_SUBJECTS);
      return usage(`cannot explain \`${subject}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ""} (one of: ${EXPLAIN_SUBJECTS.join(", ")})`);
    }
  }
}
