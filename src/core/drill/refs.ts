import { EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";

/** The on-call tiers behind a reference: a `schedule/tier` itself, a role's `oncall:` tiers, none otherwise. */
export function tiersOfRef(g: Governance, ref: string): string[] {
  if (ref.includes("/")) return [ref];
  if (ref === EVERYONE) return [];
  const o = g.roles.roles[ref]?.oncall;
  return o === undefined ? [] : Array.isArray(o) ? [...o] : [o];
}
