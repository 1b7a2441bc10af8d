import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { IncidentsFile } from "../model/incidents.js";
import { holdsRole, roleHolders, roleTitle, type TeamMembers } from "../roles/resolve.js";

export const INCIDENT_COMMANDS = ["ack", "escalate", "severity", "update", "resolve", "reopen", "commander", "page"] as const;
export type IncidentCommand = (typeof INCIDENT_COMMANDS)[number];

/** Who may run a command that incidents.yml does not list: any holder of any role, and the incident's assignees. */
export const DEFAULT_AUTHORITY: readonly string[] = [EVERYONE, "assignees"];

export function whoMayRun(inc: IncidentsFile, command: IncidentCommand): readonly string[] {
  return inc.commands?.[command] ?? DEFAULT_AUTHORITY;
}

export type CommandAuthority = { ok: true; as: string } | { ok: false; reason: string };

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function describe(g: Governance, entry: string, at: Date, assignees: readonly string[], teams?: TeamMembers): string {
  if (entry === "assignees") return `people assigned to this incident (${assignees.length ? assignees.map((a) => `\`${a}\``).join(", ") : "nobody yet"})`;
  if (entry === ANYONE) return "anyone";
  if (entry === EVERYONE) return "any holder of a role in roles.yml";
  const r = roleHolders(g, entry, at, teams);
  const now = r.holders.length ? r.holders.map((h) => `\`${h}\``).join(", ") : "nobody now";
  const backups = r.backups.length ? `, backup ${r.backups.map((b) => `\`${b}\``).join(", ")}` : "";
  return `${roleTitle(g, entry)} (${now}${backups})`;
}

/**
 * Whether `login` may run `/command` on an incident at `at`: the command's list in incidents.yml
 * (`commands`), each entry a role (holders and backups), an on-call tier, `assignees` (people
 * assigned to the issue), `anyone` or `everyone` (any role holder).
 */
export function incidentCommandAuthority(
  g: Governance,
  inc: IncidentsFile,
  command: IncidentCommand,
  login: string,
  at: Date,
  assignees: readonly string[],
  teams?: TeamMembers,
): CommandAuthority {
  const allowed = whoMayRun(inc, command);
  for (const entry of allowed) {
    if (entry === "assignees") {
      if (assignees.some((a) => same(a, login))) return { ok: true, as: "assignee" };
    } else if (entry === EVERYONE) {
      if (Object.keys(g.roles.roles).some((id) => holdsRole(g, id, login, at, teams))) return { ok: true, as: EVERYONE };
    } else if (holdsRole(g, entry, login, at, teams)) return { ok: true, as: entry };
  }
  const who = allowed.map((e) => describe(g, e, at, assignees, teams));
  const list = who.length > 1 ? `${who.slice(0, -1).join(", ")} or ${who.at(-1)}` : (who[0] ?? "nobody");
  return {
    ok: false,
    reason: `\`governance/incidents.yml\` lets ${list} run \`/${command}\`, and \`${login}\` is none of them now.`,
  };
}
