import { associationWords, hasRepositoryAccess } from "../access/association.js";
import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { IncidentsFile } from "../model/incidents.js";
import { holdsRole, roleHolders, roleTitle, type TeamMembers } from "../roles/resolve.js";

export const INCIDENT_COMMANDS = ["ack", "escalate", "severity", "update", "resolve", "reopen", "commander", "page", "confirm"] as const;
export type IncidentCommand = (typeof INCIDENT_COMMANDS)[number];

/** Who may run a command that incidents.yml does not list: any holder of any role, and the people Charter assigned to the incident. */
export const DEFAULT_AUTHORITY: readonly string[] = [EVERYONE, "assignees"];

export function whoMayRun(inc: IncidentsFile, command: IncidentCommand): readonly string[] {
  return inc.commands?.[command] ?? DEFAULT_AUTHORITY;
}

/** Who asks: a login, and what GitHub says they are to the repository (`author_association`). */
export interface CommandActor {
  login: string;
  /** The comment's (or issue's) `author_association`; missing means no access known, which fails closed. */
  association?: string | null;
}

/** What authority over an incident depends on besides roles.yml. */
export interface IncidentAuthorityFacts {
  /** Who is assigned to the issue now. */
  assignees: readonly string[];
  /**
   * Who Charter itself assigned to the incident, from its sealed state ({@link charterAssigned});
   * undefined when the state was not read (then `assignees` admits nobody).
   */
  charterAssigned?: readonly string[];
  /**
   * People a step with `ack: all` paged who have not acknowledged yet, from Charter's sealed state
   * ({@link awaitingAcks}): each of them may `/ack`, whatever `commands.ack` says.
   */
  owedAcks?: readonly string[];
}

export type CommandAuthority = { ok: true; as: string } | { ok: false; reason: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const includes = (list: readonly string[] | undefined, login: string) => (list ?? []).some((x) => same(x, login));
const quiet = (logins: readonly string[]) => (logins.length ? logins.map((a) => `\`${a}\``).join(", ") : "nobody now");

/** The assignees `assignees` admits: assigned now, and assigned by Charter. */
export function authorisedAssignees(facts: IncidentAuthorityFacts): string[] {
  return facts.assignees.filter((a) => includes(facts.charterAssigned, a));
}

function describe(g: Governance, entry: string, at: Date, facts: IncidentAuthorityFacts, teams?: TeamMembers): string {
  if (entry === "assignees") return `the people Charter assigned to this incident${facts.charterAssigned ? ` (${quiet(authorisedAssignees(facts))})` : ""}`;
  if (entry === ANYONE) return "anyone with access to this repository";
  if (entry === EVERYONE) return "any holder of a role in roles.yml";
  const r = roleHolders(g, entry, at, teams);
  const backups = r.backups.length ? `, backup ${quiet(r.backups)}` : "";
  return `${roleTitle(g, entry)} (${quiet(r.holders)}${backups})`;
}

/**
 * Whether `actor` may run `/command` on an incident at `at`: the command's list in incidents.yml
 * (`commands`), each entry
 * - a role (its holders and backups) or an on-call tier;
 * - `everyone`: any holder of any role;
 * - `assignees`: people assigned to the issue **whom Charter assigned** (responders, people it
 *   paged, whoever acknowledged, the commander), never someone who assigned themselves;
 * - `anyone`: anyone with access to the repository (GitHub's `author_association`), never any
 *   GitHub user who can comment on a public repository.
 */
export function incidentCommandAuthority(
  g: Governance,
  inc: IncidentsFile,
  command: IncidentCommand,
  actor: CommandActor,
  at: Date,
  facts: IncidentAuthorityFacts,
  teams?: TeamMembers,
): CommandAuthority {
  const allowed = whoMayRun(inc, command);
  const login = actor.login;
  if (command === "ack" && includes(facts.owedAcks, login)) return { ok: true, as: "paged by a step every one of whose people acknowledges" };
  for (const entry of allowed) {
    if (entry === "assignees") {
      if (includes(authorisedAssignees(facts), login)) return { ok: true, as: "assignee" };
    } else if (entry === ANYONE) {
      if (hasRepositoryAccess(actor.association)) return { ok: true, as: ANYONE };
    } else if (entry === EVERYONE) {
      if (Object.keys(g.roles.roles).some((id) => holdsRole(g, id, login, at, teams))) return { ok: true, as: EVERYONE };
    } else if (holdsRole(g, entry, login, at, teams)) return { ok: true, as: entry };
  }
  const who = allowed.map((e) => describe(g, e, at, facts, teams));
  const list = who.length > 1 ? `${who.slice(0, -1).join(", ")} or ${who.at(-1)}` : (who[0] ?? "nobody");
  const notes: string[] = [];
  if (allowed.includes("assignees") && includes(facts.assignees, login) && !includes(facts.charterAssigned, login)) {
    notes.push(`\`${login}\` is assigned to the issue, but not by Charter: being assigned gives no authority by itself.`);
  }
  if (allowed.includes(ANYONE) && !hasRepositoryAccess(actor.association)) notes.push(`\`${login}\` ${associationWords(actor.association)}.`);
  return {
    ok: false,
    reason: `\`governance/incidents.yml\` lets ${list} run \`/${command}\`, and ${login ? `\`${login}\`` : "whoever did it (GitHub does not say)"} is none of them now.${notes.length ? ` ${notes.join(" ")}` : ""}`,
  };
}

/** Whether reading the incident's sealed state could change the answer: `login` is assigned and `assignees` is listed. */
export function dependsOnAssignment(inc: IncidentsFile, command: IncidentCommand, login: string, assignees: readonly string[]): boolean {
  return whoMayRun(inc, command).includes("assignees") && includes(assignees, login);
}
