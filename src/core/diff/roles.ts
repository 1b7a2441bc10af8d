/**
 * Role-level changes: roles added or removed, and changes of title, holders, backups or on-call
 * tiers. (Who gains or loses what through them is ./authority.ts's answer.)
 */
import type { Governance } from "../model/governance.js";
import type { Role } from "../model/roles.js";

export interface RoleChange {
  id: string;
  kind: "added" | "removed" | "changed";
  title: { before?: string; after?: string };
  holders: { added: string[]; removed: string[]; after: string[] };
  backups: { added: string[]; removed: string[]; after: string[] };
  oncall: { added: string[]; removed: string[]; after: string[] };
}

const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? [...x] : [x]);

function delta(before: readonly string[], after: readonly string[]) {
  const b = new Set(before.map((x) => x.toLowerCase()));
  const a = new Set(after.map((x) => x.toLowerCase()));
  return { added: after.filter((x) => !b.has(x.toLowerCase())), removed: before.filter((x) => !a.has(x.toLowerCase())), after: [...after] };
}

function change(id: string, kind: RoleChange["kind"], b: Role | undefined, a: Role | undefined): RoleChange {
  return {
    id,
    kind,
    title: { ...(b ? { before: b.title } : {}), ...(a ? { after: a.title } : {}) },
    holders: delta(b?.holders ?? [], a?.holders ?? []),
    backups: delta(b?.backups ?? [], a?.backups ?? []),
    oncall: delta(list(b?.oncall), list(a?.oncall)),
  };
}

export function roleChanges(base: Governance, head: Governance): RoleChange[] {
  const out: RoleChange[] = [];
  const ids = [...new Set([...Object.keys(base.roles.roles), ...Object.keys(head.roles.roles)])];
  for (const id of ids) {
    const b = base.roles.roles[id];
    const a = head.roles.roles[id];
    if (!b) out.push(change(id, "added", b, a));
    else if (!a) out.push(change(id, "removed", b, a));
    else {
      const c = change(id, "changed", b, a);
      const moved = [c.holders, c.backups, c.oncall].some((d) => d.added.length > 0 || d.removed.length > 0);
      if (moved || b.title !== a.title) out.push(c);
    }
  }
  return out;
}
