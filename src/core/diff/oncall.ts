/**
 * What a change does to on-call over a window (the next 8 weeks by default): the drill's warnings
 * (nobody on call, one person in two tiers, nobody available, …) it adds and the ones it clears,
 * and the stretches of time in which someone else would be on call for a tier.
 */
import { drillWarnings, type DrillWarning } from "../drill/warnings/index.js";
import { allTiers, changeInstants, type DrillWindow } from "../drill/window.js";
import type { Governance } from "../model/governance.js";
import { whoIsOnCall, type TierOnCall } from "../oncall/resolve.js";

export interface OncallChange {
  tier: string;
  from: string;
  until: string;
  before: string[];
  after: string[];
  /** After the change, someone covers for an unavailable person: who, and why. */
  covering?: { rostered: string; reason: string };
}

/** At most this many stretches are kept (the words show fewer). */
const MAX_CHANGES = 200;

export function warningKey(w: DrillWarning): string {
  return [w.kind, (w.tiers ?? []).join(","), (w.roles ?? []).join(","), w.severity ?? "", w.first?.from ?? "", w.first?.until ?? "", w.times ?? ""].join("|");
}

export function warningChanges(base: Governance, head: Governance, window: DrillWindow): { added: DrillWarning[]; cleared: DrillWarning[] } {
  const before = drillWarnings(base, window);
  const after = drillWarnings(head, window);
  const b = new Set(before.map(warningKey));
  const a = new Set(after.map(warningKey));
  return { added: after.filter((w) => !b.has(warningKey(w))), cleared: before.filter((w) => !a.has(warningKey(w))) };
}

const sameWho = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((p, i) => p.toLowerCase() === y[i]!.toLowerCase());

function coveringOf(r: TierOnCall): OncallChange["covering"] {
  const first = r.covering?.skipped[0];
  return r.covering && first ? { rostered: r.covering.rostered, reason: first.absence.reason } : undefined;
}

export function oncallChanges(base: Governance, head: Governance, window: DrillWindow): { changes: OncallChange[]; more: number } {
  const tiers = [...new Set([...allTiers(base), ...allTiers(head)])];
  const out: OncallChange[] = [];
  let more = 0;
  for (const tier of tiers) {
    const cuts = [...new Set([...changeInstants(base, window, [tier]), ...changeInstants(head, window, [tier])].map((d) => d.getTime()))].sort((x, y) => x - y);
    let open: OncallChange | undefined;
    cuts.forEach((t, i) => {
      const until = cuts[i + 1] ?? window.until.getTime();
      const b = whoIsOnCall(base.oncall, tier, new Date(t));
      const h = whoIsOnCall(head.oncall, tier, new Date(t));
      if (sameWho(b.who, h.who)) {
        open = undefined;
        return;
      }
      const covering = coveringOf(h);
      if (open && sameWho(open.before, b.who) && sameWho(open.after, h.who) && open.covering?.rostered === covering?.rostered) {
        open.until = new Date(until).toISOString();
        return;
      }
      if (out.length >= MAX_CHANGES) {
        more++;
        open = undefined;
        return;
      }
      open = { tier, from: new Date(t).toISOString(), until: new Date(until).toISOString(), before: [...b.who], after: [...h.who], ...(covering ? { covering } : {}) };
      out.push(open);
    });
  }
  return { changes: out, more };
}
