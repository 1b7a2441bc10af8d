/**
 * RACI on pull requests (D9 §2): a pull request that is an activity (a gate's `activity`, or an
 * activity whose `paths` match a changed file) asks the Accountable roles' holders who have not
 * signed, and the Consulted roles' holders, for a review, and mentions the Informed roles once.
 */
import { activitiesForPath, activity, type ActivityRow } from "../authority/lookup.js";
import { EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import { roleHolders, roleTitle, type TeamMembers } from "../roles/resolve.js";
import type { SignoffTree } from "./evaluate.js";
import { isBot, sameLogin, type PullRequestFacts } from "./facts.js";
import type { SignoffGate } from "./gate.js";

export const INFORMED_MARKER = "<!-- charter:informed -->";

/** GitHub accepts a limited number of requested reviewers per pull request. */
const MAX_REQUESTS = 15;

export interface RaciPlan {
  activities: { id: string; title: string }[];
  /** Logins to request a review from (new requests only). */
  reviewers: string[];
  /** Team slugs (of the repository's organisation) to request, for teams whose members are unknown. */
  teamReviewers: string[];
  /** Informed roles and their holders, for the one Charter comment. */
  informed: { role: string; title: string; people: string[] }[];
}

export interface RaciInput {
  governance: Governance;
  facts: PullRequestFacts;
  gates: readonly SignoffGate[];
  tree: SignoffTree;
  now: Date;
  teams?: TeamMembers;
  /** Logins and `org/team` slugs already requested (the pull request's requested_reviewers and teams). */
  alreadyRequested: readonly string[];
  /** The repository owner: only its teams can be requested. */
  org: string;
}

/** The activities a pull request is: its gates' activities, then those whose paths it touches. */
export function pullRequestActivities(g: Governance, facts: PullRequestFacts, gates: readonly SignoffGate[]): ActivityRow[] {
  const ids: string[] = [];
  for (const gate of gates) if (gate.activity && !ids.includes(gate.activity)) ids.push(gate.activity);
  for (const f of facts.files) for (const a of activitiesForPath(g, f.filename)) if (!ids.includes(a.id)) ids.push(a.id);
  return ids.flatMap((id) => {
    const row = activity(g, id);
    return row.ok ? [row] : [];
  });
}

function holdersOf(g: Governance, role: string, at: Date, teams: TeamMembers | undefined): { people: string[]; teams: string[] } {
  const ids = role === EVERYONE ? Object.keys(g.roles.roles) : [role];
  const people: string[] = [];
  const unresolved: string[] = [];
  for (const id of ids) {
    const h = roleHolders(g, id, at, teams);
    people.push(...h.holders);
    unresolved.push(...h.unresolvedTeams);
  }
  return { people, teams: unresolved };
}

export function raciPlan(input: RaciInput): RaciPlan {
  const { governance: g, facts, tree, now, teams } = input;
  const rows = pullRequestActivities(g, facts, input.gates);
  const author = facts.author.login;
  const requested = new Set(input.alreadyRequested.map((x) => x.toLowerCase()));
  const signed = new Set(tree.reviewers.filter((r) => r.verdict === "approved").map((r) => r.login.toLowerCase()));
  const blocking = new Set(tree.reviewers.filter((r) => r.verdict === "changes-requested").map((r) => r.login.toLowerCase()));
  const reviewers: string[] = [];
  const teamReviewers: string[] = [];
  const ask = (login: string) => {
    const key = login.toLowerCase();
    if (sameLogin(login, author) || isBot(login) || requested.has(key) || signed.has(key) || blocking.has(key)) return;
    if (reviewers.some((r) => sameLogin(r, login))) return;
    reviewers.push(login);
  };
  const askTeam = (team: string) => {
    const [org, slug] = team.split("/");
    if (!org || !slug || !sameLogin(org, input.org) || requested.has(team.toLowerCase())) return;
    if (!teamReviewers.includes(slug)) teamReviewers.push(slug);
  };
  for (const row of rows) {
    for (const role of [...row.A, ...row.C]) {
      const h = holdersOf(g, role, now, teams);
      h.people.forEach(ask);
      h.teams.forEach(askTeam);
    }
  }
  // the people of a swap or an override sign it themselves (src/core/signoff/swap.ts): ask them
  for (const gate of input.gates) if (gate.kind === "oncall") for (const s of gate.signers) if (s.kind === "user") ask(s.login);
  const informed: RaciPlan["informed"] = [];
  for (const row of rows) {
    for (const role of row.I) {
      if (informed.some((x) => x.role === role)) continue;
      const people = holdersOf(g, role, now, teams).people.filter((p) => !sameLogin(p, author) && !isBot(p));
      if (people.length > 0) informed.push({ role, title: roleTitle(g, role), people: [...new Set(people)] });
    }
  }
  return {
    activities: rows.map((r) => ({ id: r.id, title: r.title })),
    reviewers: reviewers.slice(0, MAX_REQUESTS),
    teamReviewers: teamReviewers.slice(0, Math.max(0, MAX_REQUESTS - reviewers.length)),
    informed,
  };
}

/** The one Charter comment that mentions the Informed roles; undefined when nobody is informed. */
export function informedComment(plan: RaciPlan): string | undefined {
  if (plan.informed.length === 0) return undefined;
  const what = plan.activities.map((a) => `**${a.title}**`).join(", ");
  return [
    INFORMED_MARKER,
    `For your information (RACI: Informed): this pull request is ${what} (governance/authority.yml \`raci\`). No action is needed from you.`,
    "",
    ...plan.informed.map((x) => `- ${x.title}: ${x.people.map((p) => `@${p}`).join(", ")}`),
  ].join("\n");
}
