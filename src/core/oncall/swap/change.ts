/**
 * What a pull request does to governance/oncall.yml, compared with the default branch: overrides
 * added and nothing else, or something else (in words). A swap's sign-off gate applies only when
 * the overrides added are exactly those Charter sealed in the request (src/core/trust/request.ts).
 */
import type { OncallFile, Override } from "../../model/oncall.js";
import type { RequestMarker } from "../../trust/request.js";
import { canonicalOverride, overridesDigest, requestReasons, type PlacedOverride } from "./digest.js";

export type OncallChange = { kind: "overrides"; added: PlacedOverride[] } | { kind: "other"; why: string };

function withoutOverrides(f: OncallFile): unknown {
  return { ...f, schedules: Object.fromEntries(Object.entries(f.schedules).map(([id, s]) => [id, { ...s, overrides: undefined }])) };
}

function canon(v: unknown): string {
  const c = (x: unknown): unknown =>
    Array.isArray(x) ? x.map(c) : x && typeof x === "object" ? Object.fromEntries(Object.entries(x).filter(([, y]) => y !== undefined).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, y]) => [k, c(y)])) : x;
  return JSON.stringify(c(v));
}

/** Overrides the head adds to the base, when that is all it changes. */
export function oncallChange(base: OncallFile | undefined, head: OncallFile): OncallChange {
  if (!base) return { kind: "other", why: "governance/oncall.yml is created" };
  if (canon(withoutOverrides(base)) !== canon(withoutOverrides(head))) return { kind: "other", why: "governance/oncall.yml changes more than its overrides (rotations, tiers or zones), or the branch is behind the default branch" };
  const added: PlacedOverride[] = [];
  for (const [id, schedule] of Object.entries(head.schedules)) {
    const before = (base.schedules[id]?.overrides ?? []).map((o) => canonicalOverride({ schedule: id, override: o }));
    const remaining = [...before];
    for (const o of schedule.overrides ?? []) {
      const key = canonicalOverride({ schedule: id, override: o });
      const at = remaining.indexOf(key);
      if (at >= 0) remaining.splice(at, 1);
      else added.push({ schedule: id, override: o as Override });
    }
    if (remaining.length > 0) return { kind: "other", why: `governance/oncall.yml removes or edits overrides of \`${id}\` that the default branch has (update the branch if they were added meanwhile)` };
  }
  return { kind: "overrides", added };
}

/** Whether the overrides added are exactly those the request sealed. */
export function matchesRequest(added: readonly PlacedOverride[], request: RequestMarker): boolean {
  return request.change !== undefined && added.length > 0 && overridesDigest(added) === request.change;
}

/** After a merge: whether the default branch's oncall.yml holds exactly the request's overrides. */
export function mergedRequestOverrides(oncall: OncallFile | undefined, request: RequestMarker): PlacedOverride[] | undefined {
  if (!oncall || (request.kind !== "swap" && request.kind !== "override")) return undefined;
  const reasons = new Set(requestReasons(request.kind, request.people ?? [], request.issue));
  const found = Object.entries(oncall.schedules).flatMap(([id, s]) => (s.overrides ?? []).filter((o) => o.reason !== undefined && reasons.has(o.reason)).map((o) => ({ schedule: id, override: o })));
  return matchesRequest(found, request) ? found : undefined;
}
