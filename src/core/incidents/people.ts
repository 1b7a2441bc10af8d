import { EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { IncidentsFile } from "../model/incidents.js";
import { roleHolders, roleTitle, uniqueLogins, type TeamMembers } from "../roles/resolve.js";
import { areaKey } from "./form.js";

/** Who a role or tier pages at an instant. */
export interface PageGroup {
  target: string;
  title: string;
  /** Logins to mention (and assign). */
  people: string[];
  /** Teams to mention (`org/team`: GitHub notifies the team; teams cannot be assigned). */
  teams: string[];
  /** holders, backups (no holder now), or nobody. */
  source: "holders" | "backups" | "nobody";
}

/** Holders of a role or tier at `at`; its backups when it has no holder; teams that could not be expanded are mentioned as teams. */
export function pageGroup(g: Governance, target: string, at: Date, teams?: TeamMembers): PageGroup {
  const r = roleHolders(g, target, at, teams);
  const title = roleTitle(g, target);
  if (r.holders.length > 0 || r.unresolvedTeams.length > 0) return { target, title, people: r.holders, teams: r.unresolvedTeams, source: "holders" };
  if (r.backups.length > 0) return { target, title, people: r.backups, teams: [], source: "backups" };
  return { target, title, people: [], teams: [], source: "nobody" };
}

export function pageGroups(g: Governance, targets: readonly string[], at: Date, teams?: TeamMembers): PageGroup[] {
  return targets.map((t) => pageGroup(g, t, at, teams));
}


/** Every login in the groups, once. */
export function peopleOf(groups: readonly PageGroup[]): string[] {
  return uniqueLogins(groups.flatMap((x) => x.people));
}

/** `@olga-oncall (On-Call Secondary)`, `@sam-sre (SRE Lead), @pat-pm (Product Manager)`. */
export function mentionGroups(groups: readonly PageGroup[]): string {
  return groups
    .map((x) => {
      const who = [...x.people, ...x.teams].map((p) => `@${p}`).join(", ");
      if (x.source === "nobody") return `nobody (${x.title} has no holder now)`;
      return `${who} (${x.title}${x.source === "backups" ? ", backup: no holder now" : ""})`;
    })
    .join(", ");
}

/** Logins written without notifying anyone: `olga-oncall`. */
export function quietNames(logins: readonly string[]): string {
  return logins.length > 0 ? logins.map((l) => `\`${l}\``).join(", ") : "nobody";
}

export function mentions(logins: readonly string[]): string {
  return logins.length > 0 ? logins.map((l) => `@${l}`).join(", ") : "nobody";
}

/** Who is assigned when an incident opens, and who the start message names as primary and backup. */
export interface Responders {
  /** Where the assignment came from. */
  via: "routing" | "service" | "severity" | "ladder";
  /** The role or tier assigned. */
  assign?: string;
  /** Extra roles or tiers paged at opening (routing `notify`). */
  notify: string[];
  primary?: PageGroup;
  /** The backup named in the start message (`{{secondary}}`, `{{backup}}`). */
  secondary?: PageGroup;
  /** The role or tier named as the backup, and where that came from. */
  backup?: { target: string; via: "routing" | "severity" | "ladder" };
}

/**
 * The backup a new incident names: the route's `backup`, else the severity's `backup`, else the
 * first target of the severity's ladder that is not the one assigned (nor `everyone`). Declared
 * in incidents.yml, never guessed from a role's name.
 */
export function backupTarget(inc: IncidentsFile, severity: string, assign: string | undefined, route?: { backup?: string | undefined }): Responders["backup"] {
  if (route?.backup !== undefined) return { target: route.backup, via: "routing" };
  const sev = inc.severities[severity];
  if (sev?.backup !== undefined) return { target: sev.backup, via: "severity" };
  const next = (sev?.escalation ?? []).flatMap((s) => s.notify).find((t) => t !== EVERYONE && t !== assign);
  return next !== undefined ? { target: next, via: "ladder" } : undefined;
}

/** The route of the service or area a form names (`Billing API` → `billing-api`), if incidents.yml has one. */
export function routeFor(inc: IncidentsFile, service: string | undefined): { area: string; route: NonNullable<IncidentsFile["routing"]>[string] } | undefined {
  const area = service ? areaKey(service) : undefined;
  const route = area ? inc.routing?.[area] : undefined;
  return area && route ? { area, route } : undefined;
}

/**
 * The responders of a new incident at `at`: routing by the service or area the form names
 * (`routing.<area>.assign`, else services.yml's `oncall` tier for that service), else the
 * severity's `assign`, else its first ladder target. The backup is {@link backupTarget}.
 */
export function responders(g: Governance, inc: IncidentsFile, severity: string, service: string | undefined, at: Date, teams?: TeamMembers): Responders {
  const sev = inc.severities[severity];
  const area = service ? areaKey(service) : undefined;
  const route = routeFor(inc, service)?.route;
  const serviceTier = area ? g.services?.services[area]?.oncall : undefined;
  const ladderTargets = (sev?.escalation ?? []).flatMap((s) => s.notify).filter((t) => t !== EVERYONE);
  let via: Responders["via"];
  let assign: string | undefined;
  if (route) [via, assign] = ["routing", route.assign];
  else if (serviceTier) [via, assign] = ["service", serviceTier];
  else if (sev?.assign) [via, assign] = ["severity", sev.assign];
  else [via, assign] = ["ladder", ladderTargets[0]];
  const backup = backupTarget(inc, severity, assign, route);
  return {
    via,
    ...(assign !== undefined ? { assign } : {}),
    notify: route?.notify ? [...route.notify] : [],
    ...(assign !== undefined ? { primary: pageGroup(g, assign, at, teams) } : {}),
    ...(backup !== undefined ? { secondary: pageGroup(g, backup.target, at, teams), backup } : {}),
  };
}
