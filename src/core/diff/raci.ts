/**
 * RACI activities left without an Accountable role: after the change, an activity whose `A` is
 * empty, or names only roles nobody can act for, while before it had someone accountable (or did
 * not exist).
 */
import type { Governance } from "../model/governance.js";
import { anyRoleHeld, rolePeople } from "./people.js";

export interface RaciChange {
  id: string;
  title: string;
  /** Accountable roles before (empty when the activity is new) and after. */
  before: string[];
  after: string[];
  /** After the change, the Accountable roles nobody can act for (all of `after`), or none at all. */
  why: "no-accountable" | "nobody-holds";
  isNew: boolean;
}

function accountable(g: Governance, id: string): { roles: string[]; held: boolean } | undefined {
  const act = g.authority?.raci?.activities?.[id];
  if (!act) return undefined;
  const roles = [...(act.A ?? [])];
  const held = roles.some((r) => (r === "everyone" && anyRoleHeld(g)) || rolePeople(g, r).people.length > 0 || rolePeople(g, r).unbounded);
  return { roles, held };
}

export function raciChanges(base: Governance, head: Governance): RaciChange[] {
  const out: RaciChange[] = [];
  for (const [id, act] of Object.entries(head.authority?.raci?.activities ?? {})) {
    const after = accountable(head, id)!;
    if (after.held) continue;
    const before = accountable(base, id);
    if (before && !before.held) continue;
    out.push({ id, title: act.title, before: before?.roles ?? [], after: after.roles, why: after.roles.length === 0 ? "no-accountable" : "nobody-holds", isNew: before === undefined });
  }
  return out;
}
