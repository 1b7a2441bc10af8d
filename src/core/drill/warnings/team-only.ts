/**
 * A role held only by teams (`org/team` holders and backups, no person, no on-call tier), named
 * where a person must act: sign off, decide, approve, activate, resume, own a review, be assigned,
 * run a command. In Actions mode with the workflow's GITHUB_TOKEN, Charter cannot read team
 * members, so nobody can act for such a role there (silently, before this warning).
 */
import type { Governance } from "../../model/governance.js";
import { roleReferences, type RoleReference } from "../../validate/checks/refs.js";
import type { DrillWarning } from "./types.js";

function needsAPerson(ref: RoleReference): string | undefined {
  if (ref.required) return ref.required;
  if (ref.context.endsWith("(assign)")) return "be assigned incidents";
  if (ref.context.startsWith("command /")) return `run ${ref.context}`;
  return undefined;
}

export function teamOnlyWarnings(g: Governance): DrillWarning[] {
  const uses = new Map<string, string[]>();
  for (const ref of roleReferences(g)) {
    const what = needsAPerson(ref);
    if (!what) continue;
    const list = uses.get(ref.id) ?? [];
    const words = `${what} (${ref.context})`;
    if (!list.includes(words)) list.push(words);
    uses.set(ref.id, list);
  }
  const out: DrillWarning[] = [];
  for (const [id, role] of Object.entries(g.roles.roles)) {
    const people = [...(role.holders ?? []), ...(role.backups ?? [])];
    if (people.length === 0 || role.oncall !== undefined || people.some((p) => !p.includes("/"))) continue;
    const used = uses.get(id);
    if (!used) continue;
    const shown = used.slice(0, 3).join("; ") + (used.length > 3 ? `; and ${used.length - 3} more` : "");
    out.push({
      kind: "team-only-role",
      file: "roles.yml",
      path: ["roles", id, role.holders?.length ? "holders" : "backups"],
      at: "key",
      message: `role \`${id}\` is held only by teams (${people.join(", ")}): in Actions mode with the workflow's GITHUB_TOKEN Charter cannot read team members, so nobody can act for it there: ${shown}`,
      hint: "add a person as a holder or backup, e.g. the team's lead, or run Charter with the app's credentials: App mode, or the action with app-id and private-key, which read teams with Members: read",
      roles: [id],
    });
  }
  return out;
}
