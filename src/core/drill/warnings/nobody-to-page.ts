/**
 * A ladder step (or the role assigned, a route, a reminder's role) with nobody to page: the role or
 * tier has no holder and no backup at some instant of the window, so the page reaches nobody (the
 * app says so in the comment, but only once the incident is under way).
 */
import { durationMs } from "../../duration.js";
import { formatOffset } from "../../incidents/time.js";
import { incidentZone } from "../../incidents/oncall-report.js";
import { pageGroup } from "../../incidents/people.js";
import { OWNER } from "../../model/incidents.js";
import type { Governance } from "../../model/governance.js";
import type { YamlPath } from "../../validate/checks/refs.js";
import { runs, segments, type DrillWindow } from "../window.js";
import type { DrillWarning } from "./types.js";
import { firstAndTimes, whenText } from "./when.js";

interface Target {
  ref: string;
  path: YamlPath;
  /** What pages it, in words: "step 2 of the P1 ladder (+15m)". */
  what: string;
  severity?: string;
}

function targets(g: Governance): Target[] {
  const inc = g.incidents;
  if (!inc) return [];
  const out: Target[] = [];
  for (const [name, sev] of Object.entries(inc.severities)) {
    const base: YamlPath = ["severities", name];
    if (sev.assign !== undefined) out.push({ ref: sev.assign, path: [...base, "assign"], what: `the role ${name} incidents are assigned to`, severity: name });
    sev.escalation.forEach((step, i) =>
      step.notify.forEach((ref, j) => out.push({ ref, path: [...base, "escalation", i, "notify", j], what: `step ${i + 1} of the ${name} ladder (${formatOffset(durationMs(step.after))})`, severity: name })),
    );
    (sev.remind ?? []).forEach((ref, i) => {
      if (ref !== OWNER) out.push({ ref, path: [...base, "remind", i], what: `the ${name} status-update reminders`, severity: name });
    });
  }
  for (const [area, route] of Object.entries(inc.routing ?? {})) {
    out.push({ ref: route.assign, path: ["routing", area, "assign"], what: `the role incidents in \`${area}\` are assigned to` });
    (route.notify ?? []).forEach((ref, j) => out.push({ ref, path: ["routing", area, "notify", j], what: `the routing of \`${area}\`` }));
  }
  return out;
}

export function nobodyToPageWarnings(g: Governance, window: DrillWindow, parts: readonly DrillWindow[] = segments(g, window)): DrillWarning[] {
  const zone = incidentZone(g);
  const cache = new Map<string, ReturnType<typeof runs<true>>>();
  const gapsOf = (ref: string) => {
    let found = cache.get(ref);
    if (!found) {
      found = runs(parts, (w) => (pageGroup(g, ref, w.from).source === "nobody" ? true : undefined));
      cache.set(ref, found);
    }
    return found;
  };
  const out: DrillWarning[] = [];
  for (const t of targets(g)) {
    const gaps = gapsOf(t.ref);
    if (gaps.length === 0) continue;
    const title = pageGroup(g, t.ref, window.from).title;
    out.push({
      kind: "nobody-to-page",
      file: "incidents.yml",
      path: t.path,
      message: `${t.what} pages ${title === t.ref ? `\`${t.ref}\`` : `${title} (\`${t.ref}\`)`}, which has no holder and no backup ${whenText(gaps, zone, window.until)}: nobody would be paged`,
      hint: t.ref.includes("/") ? "give the tier someone at those hours (a layer, an override or a `fallback:`), or page another role" : "give the role holders or backups, or an on-call tier that is always covered, or page another role",
      ...(t.severity ? { severity: t.severity } : {}),
      roles: [t.ref],
      ...firstAndTimes(gaps),
    });
  }
  return out;
}
