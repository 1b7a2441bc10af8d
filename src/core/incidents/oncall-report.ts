import type { Governance } from "../model/governance.js";
import { nextHandoffs, whoIsOnCall } from "../oncall/resolve.js";
import { formatAt, safeZone } from "./time.js";

/** `/oncall`: who holds each tier now, and the next handoff, as a Markdown table. */
export function oncallReport(g: Governance, at: Date): string {
  const schedules = Object.entries(g.oncall?.schedules ?? {});
  if (schedules.length === 0) return "there is no `governance/oncall.yml`, so nobody is on call by rotation.";
  const rows: string[] = [];
  for (const [sid, schedule] of schedules) {
    const zone = safeZone(schedule.timezone);
    for (const [tid, tier] of Object.entries(schedule.tiers)) {
      const ref = `${sid}/${tid}`;
      const now = whoIsOnCall(g.oncall, ref, at);
      const next = nextHandoffs(g.oncall, ref, at, 1, 120)[0];
      const who = now.who.length ? now.who.map((w) => `\`${w}\``).join(", ") : "nobody";
      const why = now.source === "override" ? ` (override${now.override?.reason ? `: ${now.override.reason}` : ""})` : now.source === "fallback" ? ` (fallback: ${now.fallbackFrom ?? "?"})` : "";
      const handoff = next ? `${formatAt(next.at, zone)} → ${next.to.length ? next.to.map((w) => `\`${w}\``).join(", ") : "nobody"}` : "none in the next 120 days";
      rows.push(`| ${schedule.title ?? sid} | ${tier.title ?? tid} (\`${ref}\`) | ${who}${why} | ${handoff} |`);
    }
  }
  const roles = Object.entries(g.roles.roles)
    .filter(([, r]) => r.oncall !== undefined)
    .map(([id, r]) => `\`${id}\` → ${(Array.isArray(r.oncall) ? r.oncall : [r.oncall!]).map((t) => `\`${t}\``).join(", ")}`);
  const firstZone = safeZone(schedules[0]![1].timezone);
  return [
    `on call at ${formatAt(at, firstZone)}:`,
    "",
    "| Schedule | Tier | On call now | Next handoff |",
    "|---|---|---|---|",
    ...rows,
    ...(roles.length ? ["", `Roles that follow the rotation: ${roles.join("; ")}.`] : []),
  ].join("\n");
}

/** The zone incident messages are written in: the first on-call schedule's, else UTC. */
export function incidentZone(g: Governance): string {
  const first = Object.values(g.oncall?.schedules ?? {})[0];
  return safeZone(first?.timezone);
}
