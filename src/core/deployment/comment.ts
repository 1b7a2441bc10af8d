/**
 * The deployment's status comment: the go/no-go gate, the update cadence, the stages and their
 * items with who ticked them, the alerts, and the rollback gate, re-rendered from Charter's sealed
 * record after every change. Pure. People are named with @ only where Charter means to notify them
 * (nobody here: the comment is rewritten often); user text was neutralised when recorded.
 */
import { formatClock } from "../incidents/time.js";
import type { Governance } from "../model/governance.js";
import { peopleFor } from "../killswitch/people.js";
import { roleTitle } from "../roles/resolve.js";
import type { DeploymentContext, DeploymentState } from "./state.js";
import { updateDueAt } from "./state.js";

const zone = "UTC";

/** How every status comment starts. */
export const STATUS_HEADING = "### 🚀 ";
const clock = (iso: string) => formatClock(Date.parse(iso), zone);

function offsetAt(start: string | undefined, at: string): string {
  if (!start) return at;
  const sign = at.startsWith("T-") ? -1 : 1;
  const rest = at.slice(2);
  let ms = 0;
  let n = "";
  for (const ch of rest) {
    if (ch >= "0" && ch <= "9") n += ch;
    else {
      ms += Number(n) * (ch === "h" ? 3_600_000 : 60_000);
      n = "";
    }
  }
  return `${at} (${formatClock(Date.parse(start) + sign * ms, zone)})`;
}

function rollbackLine(g: Governance, type: string | undefined): string {
  if (!type) return "Rollback: no rollback gate named in deployments.yml.";
  const t = g.authority?.rollback?.types[type];
  if (!t) return `Rollback: type \`${type}\`.`;
  const roles = (ids: readonly string[]) => ids.map((r) => roleTitle(g, r)).join(", ");
  return `Rollback gate: authority.yml rollback type \`${type}\` (${t.title ?? type}): decided by ${roles(t.decide)}${t.approve?.length ? `, approved by ${roles(t.approve)}` : ""}. Ask with \`/rollback <to-phase> ${type} <reason>\`.`;
}

export function deploymentComment(c: DeploymentContext, s: DeploymentState): string {
  const d = c.d;
  const lead = peopleFor(c.g, [d.lead], c.now, c.teams ? { teams: c.teams } : {});
  const lines = [`${STATUS_HEADING}${d.title}`, ""];
  lines.push(`Planned start (T): ${s.start ? `${new Date(s.start).toISOString().slice(0, 16).replace("T", " ")} UTC` : "not given (the issue form's \"Planned start (UTC)\")"} · Deployment Lead: ${roleTitle(c.g, d.lead)} (${lead.join(", ") || "nobody"})`);
  lines.push("");
  const gate = d.go_no_go.decide.map((r) => roleTitle(c.g, r)).join(" or ");
  if (s.noGo) lines.push(`**Go/no-go gate** (${gate}): ⛔ NO-GO by ${s.noGo.by} at ${clock(s.noGo.at)}: ${s.noGo.reason}`);
  else if (s.go) lines.push(`**Go/no-go gate** (${gate}): ✅ GO by ${s.go.by} at ${clock(s.go.at)}`);
  else lines.push(`**Go/no-go gate** (${gate}): ⏳ not signed: \`/go\` or \`/no-go <reason>\``);
  if (d.go_no_go.criteria?.length) lines.push(`GO = ${d.go_no_go.criteria.join(" ✓ AND ")} ✓`);
  lines.push("");
  const due = updateDueAt(d, s);
  if (s.allClear) lines.push(`**All-clear** by ${s.allClear.by} at ${clock(s.allClear.at)}. ${s.updates} status update(s).`);
  else if (due !== undefined) lines.push(`**Status updates** every ${d.updates.every} (\`/status <what is happening>\`): ${s.updates} so far; the next is due at ${formatClock(due, zone)}.`);
  else if (!s.noGo) lines.push(`**Status updates** every ${d.updates.every} from the go until the all-clear (\`/status …\`).`);
  lines.push("", "| Stage | When | Item | Owner | Done |", "|---|---|---|---|---|");
  for (const st of d.stages) {
    st.items.forEach((item, i) => {
      const done = s.done[item.id];
      lines.push(`| ${i === 0 ? st.title : ""} | ${i === 0 ? offsetAt(s.start, st.at) : ""} | \`${item.id}\` ${item.text} | ${roleTitle(c.g, item.owner)} | ${done ? `✅ ${done.by} ${clock(done.at)}` : "⬜"} |`);
    });
  }
  if (s.alerts.length) {
    lines.push("", "**Alerts**", "");
    for (const a of s.alerts) lines.push(`- ${a.n}. ${a.severity}: ${a.type} (${a.by}, ${clock(a.at)})${a.resolved ? ` ✅ resolved ${clock(a.resolved.at)}: ${a.resolved.status}` : " 🔴 open"}`);
  }
  lines.push("", rollbackLine(c.g, d.rollback), "");
  lines.push(
    "<sub>Commands: `/go`, `/no-go <reason>`, `/done <item>`, `/status <text>`, `/alert <critical|high|medium> <type>` (lines `Description:`, `Action:`, `ETA:`), `/resolved <n> <status>`, `/all-clear [metrics]`. An item counts as done only from `/done` by a holder of its owner role; ticking a box in the issue changes nothing.</sub>",
  );
  return lines.join("\n");
}
