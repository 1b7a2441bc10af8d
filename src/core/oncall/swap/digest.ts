/**
 * The digest of the overrides a swap or override pull request adds to governance/oncall.yml,
 * sealed into its request marker: the sign-off gate of the swap counts only when the pull
 * request's oncall.yml adds exactly these overrides (a push to the branch that changes them, or
 * adds others, turns the gate back into the governance owners' decision).
 */
import { createHash } from "node:crypto";
import type { Override } from "../../model/oncall.js";
import { instantMillis } from "../resolve.js";

export interface PlacedOverride {
  schedule: string;
  override: Override;
}

/** One override as compared: every field, logins lower-cased, instants as milliseconds. */
export function canonicalOverride(p: PlacedOverride): string {
  const o = p.override;
  const ms = (iso: string) => String(instantMillis(iso));
  return JSON.stringify([p.schedule, o.tier, ms(o.from), ms(o.until), o.who.toLowerCase(), o.replaces?.toLowerCase() ?? null, o.reason ?? null]);
}

/** The digest of a set of overrides (order does not matter: the file groups them by schedule). */
export function overridesDigest(list: readonly PlacedOverride[]): string {
  const h = createHash("sha256");
  for (const line of list.map(canonicalOverride).sort()) h.update(line).update("\n");
  return `sha256:${h.digest("hex")}`;
}

/** The reasons Charter writes on the overrides of one request (how a merge finds them again). */
export function requestReasons(kind: "swap" | "override", people: readonly string[], issue: number): string[] {
  if (kind === "swap") return [swapReason(people[0] ?? "", people[1] ?? "", issue)];
  return people.slice(1).map((giver) => overrideReason(people[0] ?? "", giver, issue));
}

export const swapReason = (a: string, b: string, issue: number) => `swap ${a} ↔ ${b} (#${issue})`;
export const overrideReason = (taker: string, giver: string, issue: number) => `override: ${taker} covers ${giver} (#${issue})`;
