import type { Problem } from "../../validate/problem.js";

/** The warnings a lead wants before an incident finds out for them (issue 11). */
export type WarningKind = "nobody-on-call" | "two-tiers" | "reminders-not-owner" | "team-only-role" | "nobody-to-page" | "nobody-available" | "unavailable-on-call";

/**
 * A warning about the files: not an error (the files are valid and Charter runs them as written),
 * but something that will surprise someone. Located like a Problem (file and YAML path), so the
 * validator prints it as `file:line:column` and as an `::warning` annotation in Actions.
 */
export interface DrillWarning extends Problem {
  kind: WarningKind;
  /** The incident severity it is about, when it is about one. */
  severity?: string;
  /** The on-call tiers it is about (`schedule/tier`). */
  tiers?: string[];
  /** The roles it is about. */
  roles?: string[];
  /** When it first happens in the window (ISO instants), and how many times in all. */
  first?: { from: string; until: string };
  times?: number;
}
