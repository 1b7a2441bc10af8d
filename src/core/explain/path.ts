import { activitiesForPath, normalizePath, pathOwners, RACI_LETTERS, RACI_MEANING } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { Owner, OwnersRule } from "../model/owners.js";
import { matchesPattern } from "../owners/match.js";
import { andList, asOf, done, holding, refTitle, table, titles, usage, type ExplainResult } from "./format.js";

export function ownerToken(o: Owner): string {
  return o.kind === "role" ? o.id : o.kind === "user" ? `@${o.login}` : `@${o.team}`;
}

/** An OWNERS line as written (pattern and owners). */
export function ownersLine(rule: OwnersRule): string {
  return [rule.pattern, ...rule.owners.map(ownerToken)].join(" ");
}

/** `charter explain path <path>`: the OWNERS line that owns it, its owners, RACI activities, services. */
export function explainPath(g: Governance, words: readonly string[], when: Date, ownersFile = "governance/OWNERS"): ExplainResult {
  if (words.length !== 1 || words[0]!.trim() === "") return usage("name one path in the repository, e.g. `path db/migrations/0001_init.sql`");
  const path = normalizePath(words[0]!);
  const own = pathOwners(g, path);
  const lines = [`# Path: ${path}`, ""];
  if (!own) {
    lines.push(`No line of ${ownersFile} matches: a pull request touching this path needs no path sign-off.`);
  } else {
    lines.push(`- Owning line: ${ownersFile}:${own.rule.line}: \`${ownersLine(own.rule)}\` (the last matching line wins).`);
    for (const r of own.overridden) lines.push(`- Also matches, overridden: ${ownersFile}:${r.line}: \`${ownersLine(r)}\`.`);
    lines.push("");
    if (own.owners.length === 0) {
      lines.push("The owning line names no owners: no path sign-off (another gate governs this path).");
    } else {
      const roleIds = own.owners.flatMap((o) => (o.kind === "role" ? [o.id] : []));
      const names = andList(own.owners.map((o) => (o.kind === "role" ? refTitle(g, o.id) : ownerToken(o))));
      lines.push(
        own.owners.length > 1
          ? `Every owner on the line must sign a pull request that touches this path (unlike CODEOWNERS, where one owner's approval is enough): ${names}.`
          : `${names} must sign a pull request that touches this path.`,
        "",
      );
      lines.push(...asOf(g, roleIds, when));
      const rows = own.owners.map((o) => {
        if (o.kind !== "role") return [ownerToken(o), o.kind === "user" ? "user" : "team", ownerToken(o), "—"];
        const h = holding(g, o.id, when);
        return [`${h.title} (${o.id})`, "role", h.holders.join(", ") || "none", h.backups.join(", ") || "—"];
      });
      lines.push(table(["Owner", "Kind", "Who signs", "Backups"], rows));
    }
  }
  const acts = activitiesForPath(g, path);
  lines.push("");
  if (acts.length === 0) lines.push("RACI: no activity in authority.yml lists this path.");
  else {
    lines.push("RACI activities whose `paths` match:", "");
    lines.push(
      table(
        ["Activity", ...RACI_LETTERS.map((l) => RACI_MEANING[l])],
        acts.map((a) => [`${a.title} (${a.id})`, ...RACI_LETTERS.map((l) => (a[l].length > 0 ? titles(g, a[l]) : "—"))]),
      ),
    );
  }
  const services = Object.entries(g.services?.services ?? {}).filter(([, s]) => (s.paths ?? []).some((p) => matchesPattern(p, path)));
  for (const [id, s] of services) {
    lines.push("", `Service: ${s.title ? `${s.title} (${id})` : id}, owned by ${titles(g, [s.owner])}${s.oncall ? `, on call ${s.oncall}` : ""}.`);
  }
  return done(lines);
}
