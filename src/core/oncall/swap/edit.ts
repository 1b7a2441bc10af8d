/**
 * The edit of governance/oncall.yml a swap or override makes: its overrides appended to their
 * schedules' `overrides`, keeping the file's comments and the formatting of everything else. Like
 * the state edits, a pure function of the current text: a retried write appends nothing twice.
 */
import { isMap, isSeq } from "yaml";
import type { Override } from "../../model/oncall.js";
import { blockNode, dump, load, StateFileError, type StateEdit } from "../../killswitch/state-text.js";
import { canonicalOverride, type PlacedOverride } from "./digest.js";

/** Canonical key order of an override. */
function ordered(o: Override): Record<string, unknown> {
  return { tier: o.tier, from: o.from, until: o.until, who: o.who, replaces: o.replaces, reason: o.reason };
}

export function appendOverrides(list: readonly PlacedOverride[]): StateEdit {
  return {
    file: "oncall.yml",
    edit(text) {
      const doc = load("oncall.yml", text);
      let changed = false;
      for (const p of list) {
        const schedule = doc.getIn(["schedules", p.schedule]);
        if (!isMap(schedule)) throw new StateFileError(`governance/oncall.yml has no schedule \`${p.schedule}\``);
        const existing = ((schedule.toJSON() as { overrides?: Override[] }).overrides ?? []).map((o) => canonicalOverride({ schedule: p.schedule, override: o }));
        if (existing.includes(canonicalOverride(p))) continue;
        if (!isSeq(schedule.get("overrides"))) schedule.set("overrides", doc.createNode([]));
        const seq = schedule.get("overrides");
        if (!isSeq(seq)) throw new StateFileError(`governance/oncall.yml: \`schedules.${p.schedule}.overrides\` is not a list`);
        seq.flow = false;
        seq.items.push(blockNode(doc, ordered(p.override)));
        changed = true;
      }
      if (!changed && text !== undefined) return text;
      return dump("oncall.yml", doc);
    },
  };
}
