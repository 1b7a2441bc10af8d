/**
 * What a governance change does: the default branch's model (`base`, policy) against a proposed
 * one (`head`, a pull request's files, read as a proposal only). Pure: (base, head, time) → an
 * {@link ImpactReport}; ./render.ts says it in words. Used by the impact preview on pull requests
 * (src/handlers/impact.ts) and by `charter diff <base-dir> <head-dir>`.
 *
 * The report says who gains or loses which authority, which requirements become impossible (or
 * possible again), which paths lose or change owner, which RACI activities are left without an
 * Accountable role, which on-call warnings the change adds or clears over the window, who would be
 * on call instead, and how roles changed. When the proposed files do not validate, it carries
 * their located problems; when they still form a model (every file passed its schema), the rest is
 * computed on it too.
 */
import type { DrillWarning } from "../drill/warnings/index.js";
import { DEFAULT_WEEKS, windowOf } from "../drill/window.js";
import type { Governance } from "../model/governance.js";
import { CATEGORY_ORDER, grantsOf, MAX_GRANTS, type Action, type Grant } from "./authority.js";
import { oncallChanges, warningChanges, type OncallChange } from "./oncall.js";
import { MAX_PATTERNS, pathChanges, patternsNotCompared, type PathChange } from "./paths.js";
import { subjectKey, wayKey, type Subject, type Way } from "./people.js";
import { raciChanges, type RaciChange } from "./raci.js";
import { unsatisfiableRequirements, type Unsatisfiable } from "./requirements.js";
import { roleChanges, type RoleChange } from "./roles.js";

export type { Action } from "./authority.js";
export type { Subject, Way } from "./people.js";
export type { Unsatisfiable } from "./requirements.js";
export type { PathChange } from "./paths.js";
export type { RaciChange } from "./raci.js";
export type { RoleChange } from "./roles.js";
export type { OncallChange } from "./oncall.js";

export interface HeldAction {
  action: Action;
  /** How the subject holds it (on the side where it holds it). */
  ways: Way[];
}

export interface SubjectChange {
  subject: Subject;
  gains: HeldAction[];
  losses: HeldAction[];
}

/** The proposed side: its model when every file passed its schema, and its problems (located, `file:line:column: message`). */
export interface ProposedModel {
  governance?: Governance;
  problems: readonly string[];
}

export interface ImpactOptions {
  /** Where the on-call window starts (now, for a pull request). */
  at: Date;
  /** How many weeks of on-call to compare (default 8). */
  weeks?: number;
  /**
   * The largest proposed model whose on-call is simulated (number of tiers). A proposal is
   * someone's claim: bigger ones are described without the simulation, and the words say so.
   */
  maxTiers?: number;
  /** The most (person, authority) grants compared per model (default MAX_GRANTS). */
  maxGrants?: number;
}

export interface ImpactReport {
  window: { from: string; until: string; weeks: number };
  head: { valid: boolean; problems: string[]; compared: boolean };
  authority: SubjectChange[];
  /** Why authority was not compared (a model too large), if it was not. */
  authoritySkipped?: string;
  /** OWNERS patterns left out of the comparison (a very long OWNERS), in words. */
  pathsSkipped?: string;
  impossible: { added: Unsatisfiable[]; cleared: Unsatisfiable[] };
  paths: PathChange[];
  raci: RaciChange[];
  roles: RoleChange[];
  warnings: { added: DrillWarning[]; cleared: DrillWarning[] };
  oncall: { changes: OncallChange[]; more: number; skipped?: string };
  /** Nothing Charter acts on changes (the files may still differ: comments, documentary keys). */
  unchanged: boolean;
}

export const DEFAULT_MAX_TIERS = 60;

type Held = Map<string, { subject: Subject; actions: Map<string, { action: Action; ways: Map<string, Way> }> }>;

function index(grants: readonly Grant[]): Held {
  const out: Held = new Map();
  for (const g of grants) {
    const key = subjectKey(g.subject);
    let s = out.get(key);
    if (!s) out.set(key, (s = { subject: g.subject, actions: new Map() }));
    let a = s.actions.get(g.action.key);
    if (!a) s.actions.set(g.action.key, (a = { action: g.action, ways: new Map() }));
    a.ways.set(wayKey(g.way), g.way);
  }
  return out;
}

const byCategory = (x: HeldAction, y: HeldAction) => CATEGORY_ORDER.indexOf(x.action.category) - CATEGORY_ORDER.indexOf(y.action.category);

const SUBJECT_ORDER: Record<Subject["kind"], number> = { person: 0, team: 1, anyone: 2, assignees: 3 };
function subjectName(s: Subject): string {
  return s.kind === "person" ? s.login.toLowerCase() : s.kind === "team" ? s.team.toLowerCase() : s.kind;
}

/** Who gains and who loses what; undefined when either model has more than MAX_GRANTS grants. */
export function authorityChanges(base: Governance, head: Governance, maxGrants = MAX_GRANTS): SubjectChange[] | undefined {
  const bg = grantsOf(base, maxGrants);
  const hg = bg && grantsOf(head, maxGrants);
  if (!bg || !hg) return undefined;
  const b = index(bg);
  const h = index(hg);
  const out: SubjectChange[] = [];
  for (const key of new Set([...b.keys(), ...h.keys()])) {
    const before = b.get(key);
    const after = h.get(key);
    const gains = [...(after?.actions.values() ?? [])].filter((x) => !before?.actions.has(x.action.key)).map((x) => ({ action: x.action, ways: [...x.ways.values()] }));
    const losses = [...(before?.actions.values() ?? [])].filter((x) => !after?.actions.has(x.action.key)).map((x) => ({ action: x.action, ways: [...x.ways.values()] }));
    if (gains.length === 0 && losses.length === 0) continue;
    out.push({ subject: (after ?? before)!.subject, gains: gains.sort(byCategory), losses: losses.sort(byCategory) });
  }
  return out.sort((x, y) => SUBJECT_ORDER[x.subject.kind] - SUBJECT_ORDER[y.subject.kind] || subjectName(x.subject).localeCompare(subjectName(y.subject)));
}

function impossibleChanges(base: Governance, head: Governance): ImpactReport["impossible"] {
  const b = unsatisfiableRequirements(base);
  const h = unsatisfiableRequirements(head);
  const bk = new Set(b.map((u) => u.requirement.key));
  const hk = new Set(h.map((u) => u.requirement.key));
  return { added: h.filter((u) => !bk.has(u.requirement.key)), cleared: b.filter((u) => !hk.has(u.requirement.key)) };
}

function tierCount(g: Governance): number {
  return Object.values(g.oncall?.schedules ?? {}).reduce((n, s) => n + Object.keys(s.tiers).length, 0);
}

/** Whether the files on-call and the drill's warnings are computed from are the same on both sides. */
function sameOncallInputs(base: Governance, head: Governance): boolean {
  const inputs = (g: Governance) => JSON.stringify([g.roles, g.oncall ?? null, g.incidents ?? null, g.authority ?? null]);
  return inputs(base) === inputs(head);
}

/** What merging `head` over `base` would change. */
export function governanceImpact(base: Governance, head: ProposedModel, options: ImpactOptions): ImpactReport {
  const weeks = options.weeks ?? DEFAULT_WEEKS;
  const window = windowOf(options.at, weeks);
  const report: ImpactReport = {
    window: { from: window.from.toISOString(), until: window.until.toISOString(), weeks },
    head: { valid: head.problems.length === 0, problems: [...head.problems], compared: head.governance !== undefined },
    authority: [],
    impossible: { added: [], cleared: [] },
    paths: [],
    raci: [],
    roles: [],
    warnings: { added: [], cleared: [] },
    oncall: { changes: [], more: 0 },
    unchanged: false,
  };
  const g = head.governance;
  if (!g) return report;
  const maxGrants = options.maxGrants ?? MAX_GRANTS;
  const authority = authorityChanges(base, g, maxGrants);
  if (authority) report.authority = authority;
  else report.authoritySkipped = `the files name more than ${maxGrants.toLocaleString("en")} people-and-authority pairs, more than Charter compares for a preview; run \`charter diff\` on them`;
  report.impossible = impossibleChanges(base, g);
  report.paths = pathChanges(base, g);
  const uncompared = patternsNotCompared(base, g);
  if (uncompared > 0) report.pathsSkipped = `${uncompared.toLocaleString("en")} OWNERS patterns past the first ${MAX_PATTERNS.toLocaleString("en")} were not compared`;
  report.raci = raciChanges(base, g);
  report.roles = roleChanges(base, g);
  const maxTiers = options.maxTiers ?? DEFAULT_MAX_TIERS;
  if (sameOncallInputs(base, g)) {
    // nothing the drill reads changed: its warnings and who is on call are the same (the common case: an OWNERS edit)
  } else if (tierCount(g) > maxTiers) {
    report.oncall.skipped = `the proposed oncall.yml has ${tierCount(g)} tiers, more than the ${maxTiers} Charter simulates for a preview; run \`charter drill warnings\` on it`;
  } else {
    report.warnings = warningChanges(base, g, window);
    report.oncall = oncallChanges(base, g, window);
  }
  report.unchanged =
    report.authority.length === 0 &&
    report.authoritySkipped === undefined &&
    report.impossible.added.length + report.impossible.cleared.length === 0 &&
    report.paths.length === 0 &&
    report.pathsSkipped === undefined &&
    report.raci.length === 0 &&
    report.roles.length === 0 &&
    report.warnings.added.length + report.warnings.cleared.length === 0 &&
    report.oncall.changes.length === 0;
  return report;
}
