/**
 * Status-update reminders addressed to someone other than the incident's owner. The drill opens an
 * incident of each severity with a cadence (and through each route) at every instant of the window
 * where the answer can change, and looks at its first reminder: it must reach the people the
 * incident was assigned to. It does not when `remind` leaves `owner` out, or when the assigned role
 * has no holder then (nobody owns the incident, so reminders fall back to whoever was paged first,
 * or reach nobody).
 */
import { durationMs } from "../../duration.js";
import { incidentZone } from "../../incidents/oncall-report.js";
import { OWNER } from "../../model/incidents.js";
import type { Governance } from "../../model/governance.js";
import type { YamlPath } from "../../validate/checks/refs.js";
import { responders } from "../../incidents/people.js";
import { drillIncident } from "../incident.js";
import { runs, segments, type DrillWindow } from "../window.js";
import type { DrillWarning } from "./types.js";
import { firstAndTimes, whenText } from "./when.js";

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

interface Miss {
  owners: string[];
  reminded: string[];
  assignedTitle: string;
}

export function reminderWarnings(g: Governance, window: DrillWindow, parts: readonly DrillWindow[] = segments(g, window)): DrillWarning[] {
  const inc = g.incidents;
  if (!inc) return [];
  const zone = incidentZone(g);
  const out: DrillWarning[] = [];
  const areas: (string | undefined)[] = [undefined, ...Object.keys(inc.routing ?? {})];
  for (const [name, sev] of Object.entries(inc.severities)) {
    if (!sev.updates_every) continue;
    const every = durationMs(sev.updates_every);
    if (every <= 0) continue;
    const remind = sev.remind ?? [OWNER];
    if (!remind.includes(OWNER)) {
      out.push({
        kind: "reminders-not-owner",
        file: "incidents.yml",
        path: ["severities", name, "remind"],
        message: `${name} status-update reminders go to ${remind.map((r) => `\`${r}\``).join(", ")}, never to the incident's owner (the on-call who was assigned, or the commander)`,
        hint: "add `owner` to `remind`, e.g. remind: [owner, support-lead], so whoever runs the incident is reminded too",
        severity: name,
      });
      continue;
    }
    for (const area of areas) {
      // With `owner` in `remind`, a reminder misses the owner exactly when nobody was assigned (the
      // responders the app names at opening have no person): test that at every instant, then run
      // the drill once, at the first such instant, to say whom the reminder reaches instead.
      const found = runs(parts, (w) => ((responders(g, inc, name, area, w.from).primary?.people.length ?? 0) === 0 ? true : undefined));
      if (found.length === 0) continue;
      const d = drillIncident(g, { severity: name, at: found[0]!.from, forMs: every, handoffs: false, ...(area ? { service: area } : {}) });
      const reminder = d.events.find((e) => e.kind === "reminder");
      const owners = d.assigned.people;
      if (reminder && owners.length > 0 && owners.every((o) => reminder.people.some((p) => same(p, o)))) continue;
      const miss: Miss = { owners, reminded: reminder?.people ?? [], assignedTitle: d.assigned.title };
      const routed = area !== undefined;
      const path: YamlPath = routed ? ["routing", area, "assign"] : sev.assign !== undefined ? ["severities", name, "assign"] : ["severities", name, "escalation", 0, "notify", 0];
      out.push({
        kind: "reminders-not-owner",
        file: "incidents.yml",
        path,
        message: `a ${name} incident${routed ? ` in \`${area}\`` : ""} opened ${whenText(found, zone, window.until)} would be assigned to nobody (${miss.assignedTitle} has no person holding it then), so its status-update reminders would go to ${miss.reminded.length > 0 ? miss.reminded.map((p) => `\`${p}\``).join(", ") : "nobody"}, not to an owner`,
        hint: "make sure the role assigned always has a person: holders, backups, or an on-call tier that is always covered; a role held only by a team assigns nobody",
        severity: name,
        ...firstAndTimes(found),
      });
    }
  }
  return out;
}
