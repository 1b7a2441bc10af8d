import { DateTime } from "luxon";
import type { Layer, OncallFile, Override, Tier } from "../model/oncall.js";
import { covers, nextCoverageChange, nextShiftStart, shiftAt, type Shift } from "./shift.js";
import { nextAvailabilityChange, unavailableAt, type Absence } from "./unavailability.js";

/** Who holds an on-call tier at an instant, and why. */
export interface TierOnCall {
  /** The tier asked about, `schedule/tier`. */
  tier: string;
  /** Logins on call (usually one). Empty exactly when `source` is "uncovered". */
  who: string[];
  /**
   * How the answer was reached: a rotation layer, an override, the tier's fallback (outside its
   * coverage, or no layer on duty), or nobody.
   */
  source: "rotation" | "override" | "fallback" | "uncovered";
  /** The layer whose shift is in force (its `name`, or `layer N` counting from 1). */
  layer?: string;
  /** The override in force (the last matching one), and its index in the schedule's `overrides`. */
  override?: Override;
  overrideIndex?: number;
  /** For a swap (`replaces`): who was on call before the override. */
  replaced?: string;
  /**
   * When the shift or override in force began and ends. For a swap, the part of the override
   * window during which the replaced person is on shift. For a fallback, those of the tier that
   * answered.
   */
  since?: Date;
  until?: Date;
  /**
   * Set when the rotation's person for this shift is unavailable (oncall.yml `unavailable`, or a
   * public holiday): who was rostered, everyone skipped (with why), and how the answer was found:
   * the layer's `backup` list, the next participants in turn, or an earlier layer on duty. Without
   * `via`, nobody in the layers was available (the tier's fallback answered, or nobody).
   */
  covering?: Covering;
  /**
   * Why this tier itself had nobody on duty (set when `source` is "fallback" or "uncovered"):
   * outside its coverage, no layer on duty, an unknown tier, or everyone who could answer unavailable.
   */
  offDuty?: "outside-coverage" | "no-layer-on-duty" | "unknown-tier" | "unavailable";
  /** Set when a fallback answered (or was asked and had nobody): the tier that answered, at the end of the chain. */
  fallbackFrom?: string;
  /** The fallback tier's own answer, with its own source. */
  answeredBy?: TierOnCall;
}

/** How an unavailable rostered person's shift was covered. */
export interface Covering {
  /** The rotation's person for this shift, who is unavailable. */
  rostered: string;
  /** Everyone skipped because unavailable, in the order tried (the rostered person first). */
  skipped: { who: string; absence: Absence }[];
  /** How the answer was found; undefined when nobody in the layers was available. */
  via?: "backup" | "next-in-turn" | "earlier-layer";
}

export function parseTierRef(ref: string): { schedule: string; tier: string } {
  const [schedule = "", tier = ""] = ref.split("/");
  return { schedule, tier };
}

/** Milliseconds of an ISO instant with offset; NaN when it is not a real instant (2025-02-30T…). */
export function instantMillis(iso: string): number {
  const d = DateTime.fromISO(iso, { setZone: true });
  return d.isValid ? d.toMillis() : NaN;
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/**
 * Resolve `schedule/tier` at `at`:
 *
 * 1. Outside the tier's `coverage`, its `fallback` tier answers (resolved the same way), else nobody.
 * 2. Otherwise each layer on duty at `at` (inside its own coverage, and on or after its first
 *    handoff) gives its participant on shift; the last such layer in the list wins.
 * 3. Overrides of this tier whose window contains `at` (from inclusive, until exclusive) are applied
 *    in file order: one with `replaces` swaps that person out only if they are on call at that
 *    point (after the rotation and the overrides before it); one without covers the tier whoever
 *    is on shift. So the last matching override wins.
 * 4. If still nobody, the tier's `fallback` answers, else nobody ("uncovered").
 *
 * Fallback cycles (a → b → a) end in "uncovered" (validation reports them).
 */
export function whoIsOnCall(oncall: OncallFile | undefined, ref: string, at: Date, seen: ReadonlySet<string> = new Set()): TierOnCall {
  const { schedule: scheduleId, tier: tierId } = parseTierRef(ref);
  const schedule = oncall?.schedules[scheduleId];
  const tier: Tier | undefined = schedule?.tiers[tierId];
  if (!schedule || !tier) return { tier: ref, who: [], source: "uncovered", offDuty: "unknown-tier" };
  const zone = schedule.timezone;

  const viaFallback = (offDuty: TierOnCall["offDuty"]): TierOnCall => {
    if (!tier.fallback || seen.has(tier.fallback) || tier.fallback === ref) return { tier: ref, who: [], source: "uncovered", offDuty };
    const next = whoIsOnCall(oncall, tier.fallback, at, new Set([...seen, ref]));
    const fallbackFrom = next.source === "fallback" || (next.source === "uncovered" && next.fallbackFrom) ? next.fallbackFrom! : tier.fallback;
    const { tier: _answered, offDuty: _theirs, fallbackFrom: _f, answeredBy: _a, ...rest } = next;
    return {
      ...rest,
      tier: ref,
      source: next.who.length > 0 ? "fallback" : "uncovered",
      offDuty,
      fallbackFrom,
      answeredBy: next,
    };
  };

  if (!covers(tier.coverage, zone, at)) return viaFallback("outside-coverage");

  let result: TierOnCall = { tier: ref, who: [], source: "uncovered" };
  const onDuty: OnDuty[] = [];
  tier.layers.forEach((layer, i) => {
    if (!covers(layer.coverage, zone, at)) return;
    const shift = shiftAt(layer, zone, at);
    if (!shift) return;
    onDuty.push({ layer, index: i, shift });
    result = { tier: ref, who: [shift.who], source: "rotation", layer: layerName(layer, i), since: shift.start, until: shift.end };
  });

  const t = at.getTime();
  (schedule.overrides ?? []).forEach((o, index) => {
    if (o.tier !== tierId) return;
    const from = instantMillis(o.from);
    const until = instantMillis(o.until);
    if (!(from <= t && t < until)) return;
    if (o.replaces !== undefined) {
      const replaces = o.replaces;
      if (!result.who.some((w) => same(w, replaces))) return;
      const since = Math.max(from, result.since?.getTime() ?? from);
      const end = Math.min(until, result.until?.getTime() ?? until);
      result = {
        ...result,
        who: result.who.map((w) => (same(w, replaces) ? o.who : w)),
        source: "override",
        override: o,
        overrideIndex: index,
        replaced: result.who.find((w) => same(w, replaces))!,
        since: new Date(since),
        until: new Date(end),
      };
    } else {
      const { replaced: _r, ...rest } = result;
      result = { ...rest, who: [o.who], source: "override", override: o, overrideIndex: index, since: new Date(from), until: new Date(until) };
    }
  });
  // 5. The rotation's person is unavailable: the shift's backup (an override is an explicit choice and stands)
  if (result.source === "rotation" && onDuty.length > 0) {
    const covered = cover(oncall, onDuty, at);
    if (covered) {
      if (covered.who === undefined) {
        const nobody = viaFallback("unavailable");
        return { ...nobody, covering: covered.covering };
      }
      result = { tier: ref, who: [covered.who], source: "rotation", layer: covered.layer, since: covered.since, until: covered.until, covering: covered.covering };
    }
  }
  if (result.who.length === 0) return viaFallback("no-layer-on-duty");
  return result;
}

interface OnDuty {
  layer: Layer;
  index: number;
  shift: Shift;
}

function layerName(layer: Layer, i: number): string {
  return layer.name ?? `layer ${i + 1}`;
}

/**
 * Who covers a shift whose person is unavailable at `at`, trying the layers on duty from the one
 * that wins (the last) to the first: in the winning layer, its `backup` list in order, or by
 * default the next participants in turn order (the person of the next shift, then the one after,
 * …); in an earlier layer, its own person, then its backups. The first person available at `at`
 * covers. Undefined when the rostered person is available; `who` undefined when nobody is.
 */
function cover(oncall: OncallFile, onDuty: readonly OnDuty[], at: Date): { who?: string; layer?: string; since?: Date; until?: Date; covering: Covering } | undefined {
  const top = onDuty[onDuty.length - 1]!;
  const rostered = top.shift.who;
  const away = unavailableAt(oncall, rostered, at);
  if (!away) return undefined;
  const skipped: Covering["skipped"] = [{ who: rostered, absence: away }];
  const tried = new Set([rostered.toLowerCase()]);
  for (let i = onDuty.length - 1; i >= 0; i--) {
    const { layer, index, shift } = onDuty[i]!;
    const own = i === onDuty.length - 1 ? [] : [shift.who];
    const via: Covering["via"] = i < onDuty.length - 1 ? "earlier-layer" : layer.backup !== undefined ? "backup" : "next-in-turn";
    for (const who of [...own, ...backupsOf(layer, shift)]) {
      const key = who.toLowerCase();
      if (tried.has(key)) continue;
      tried.add(key);
      const absence = unavailableAt(oncall, who, at);
      if (absence) {
        skipped.push({ who, absence });
        continue;
      }
      const since = Math.max(shift.start.getTime(), top.shift.start.getTime(), away.from.getTime());
      const until = Math.min(shift.end.getTime(), top.shift.end.getTime(), away.until.getTime());
      return { who, layer: layerName(layer, index), since: new Date(since), until: new Date(until), covering: { rostered, skipped, via } };
    }
  }
  return { covering: { rostered, skipped } };
}

/** The backups of a layer's shift, in order: its `backup` list, else the next participants in turn order. */
export function backupsOf(layer: Layer, shift: Pick<Shift, "index" | "who">): string[] {
  if (layer.backup !== undefined) return [...layer.backup];
  const n = layer.participants.length;
  const out: string[] = [];
  for (let step = 1; step < n; step++) {
    const who = layer.participants[(shift.index + step) % n]!;
    if (!same(who, shift.who) && !out.some((o) => same(o, who))) out.push(who);
  }
  return out;
}

/** A change of who is on call for a tier. */
export interface TierHandoff {
  /** The instant of the change. */
  at: Date;
  /** Who was on call just before (empty: nobody). */
  from: string[];
  /** Who is on call from `at` (empty: nobody). */
  to: string[];
  /** The full answer from `at` on (source, layer, override, fallback). */
  next: TierOnCall;
}

/**
 * The first instant strictly after `after` at which the answer for `ref` may change: a handoff, an
 * override or coverage edge, or such a change in its fallback tier. (`charter drill` walks these.)
 */
export function nextChange(oncall: OncallFile | undefined, ref: string, after: Date, seen: Set<string>): number | undefined {
  if (seen.has(ref)) return undefined;
  seen.add(ref);
  const { schedule: scheduleId, tier: tierId } = parseTierRef(ref);
  const schedule = oncall?.schedules[scheduleId];
  const tier = schedule?.tiers[tierId];
  if (!schedule || !tier) return undefined;
  const zone = schedule.timezone;
  const t = after.getTime();
  const candidates: number[] = [];
  const add = (d: Date | number | undefined) => {
    const ms = d instanceof Date ? d.getTime() : d;
    if (ms !== undefined && Number.isFinite(ms) && ms > t) candidates.push(ms);
  };
  add(nextCoverageChange(tier.coverage, zone, after));
  for (const layer of tier.layers) {
    add(nextShiftStart(layer, zone, after));
    add(nextCoverageChange(layer.coverage, zone, after));
  }
  // who may answer (or be put on call by an override) becoming available or not
  const people = tier.layers.flatMap((l) => [...l.participants, ...(l.backup ?? [])]);
  for (const o of schedule.overrides ?? []) if (o.tier === tierId) people.push(o.who);
  add(nextAvailabilityChange(oncall, people, after));
  for (const o of schedule.overrides ?? []) {
    if (o.tier !== tierId) continue;
    add(instantMillis(o.from));
    add(instantMillis(o.until));
  }
  if (tier.fallback) add(nextChange(oncall, tier.fallback, after, seen));
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}

const sameWho = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((w, i) => same(w, b[i]!));

/**
 * The next `count` instants strictly after `at` at which who is on call for `ref` changes, with
 * who hands over to whom. Everything `whoIsOnCall` considers counts: rotation handoffs, overrides
 * starting and ending, coverage hours starting and ending (a business-hours tier hands over to its
 * fallback at the end of the day), and changes in the fallback tier. An instant at which the
 * rotation hands over to the same person (a one-person rotation) is not a handoff.
 * Looks at most `withinDays` ahead (default: 3 years).
 */
export function nextHandoffs(oncall: OncallFile | undefined, ref: string, at: Date, count: number, withinDays = 1096): TierHandoff[] {
  const out: TierHandoff[] = [];
  const limit = at.getTime() + withinDays * 86_400_000;
  let current = whoIsOnCall(oncall, ref, at);
  let t = at;
  while (out.length < count) {
    const change = nextChange(oncall, ref, t, new Set());
    if (change === undefined || change > limit) break;
    const when = new Date(change);
    const next = whoIsOnCall(oncall, ref, when);
    if (!sameWho(current.who, next.who)) out.push({ at: when, from: current.who, to: next.who, next });
    current = next;
    t = when;
  }
  return out;
}
