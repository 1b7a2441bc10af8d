/** The report as Markdown (tables and Mermaid charts) and as CSV; JSON is the Report itself. */
import { formatDuration } from "../duration.js";
import { inlineUserText } from "../text/untrusted.js";
import type { Report } from "./build.js";
import { mermaidXyChart } from "./chart.js";
import type { Stat } from "./stats.js";

const MINUTE = 60_000;
const HOUR = 3_600_000;

/** `12m`, `1h 5m`: a duration given in minutes, as people read it. */
function fromMinutes(v: number | null): string {
  return v === null ? "—" : formatDuration(v * MINUTE);
}

function fromHours(v: number | null): string {
  return v === null ? "—" : formatDuration(v * HOUR);
}

function triple(s: Stat, f: (v: number | null) => string): string {
  return s.count === 0 ? "—" : `${f(s.mean)} / ${f(s.median)} / ${f(s.p90)}`;
}

const pct = (rate: number | null) => (rate === null ? "—" : `${Math.round(rate * 1000) / 10}%`);
const oneDecimal = (v: number) => String(Math.round(v * 10) / 10);
const cell = (text: string) => inlineUserText(text, 120);

export function reportMarkdown(r: Report): string {
  const out: string[] = [];
  out.push(`# Charter report${r.repo ? `: ${cell(r.repo)}` : ""}`, "");
  out.push(`Period: ${r.since} → ${r.until} (UTC). Working hours: ${r.workingHours}, in each person's zone. Every figure is defined in docs/report.md.`, "");
  const t = r.totals;
  out.push(`**${t.incidents}** incident${t.incidents === 1 ? "" : "s"} (openings and reopenings), ${t.acknowledged} acknowledged, ${t.resolved} resolved, ${t.open} still open at the end; **${t.pages}** page${t.pages === 1 ? "" : "s"} sent.`, "");

  out.push("## Time to acknowledge and to resolve, by severity", "");
  if (r.severities.length === 0) out.push("No incidents started in this period.", "");
  else {
    out.push("| Severity | Incidents | MTTA (mean / median / p90) | MTTR (mean / median / p90) | Acknowledged within the deadline | Escalated past the first step |", "|---|---:|---|---|---|---:|");
    for (const s of r.severities) {
      const c = s.compliance;
      const judged = c.met + c.missed;
      const extra = [c.pending ? `${c.pending} pending` : "", c["not-needed"] ? `${c["not-needed"]} resolved before the deadline` : "", c.unknown ? `${c.unknown} unknown` : ""].filter(Boolean).join(", ");
      out.push(`| ${cell(s.severity)} | ${s.incidents} | ${triple(s.mtta, fromMinutes)} | ${triple(s.mttr, fromMinutes)} | ${judged ? `${pct(c.rate)} (${c.met} of ${judged})` : "—"}${extra ? `; ${extra}` : ""} | ${s.escalated} |`);
    }
    out.push("");
    out.push(
      mermaidXyChart({
        title: "Mean minutes to acknowledge (bars) and to resolve (line), by severity",
        yAxis: "minutes",
        categories: r.severities.map((s) => s.severity),
        bar: { name: "MTTA", values: r.severities.map((s) => s.mtta.mean ?? 0) },
        line: { name: "MTTR", values: r.severities.map((s) => s.mttr.mean ?? 0) },
      }),
      "",
    );
  }

  out.push("## On-call load", "");
  if (r.people.length === 0) out.push("Nobody was paged in this period.", "");
  else {
    out.push("| Person | Zone | Pages | After-hours pages | Hours responding | After hours |", "|---|---|---:|---:|---:|---:|");
    for (const p of r.people) out.push(`| ${cell(p.login)} | ${cell(p.zone)} | ${p.pages} | ${p.afterHoursPages} | ${oneDecimal(p.respondingHours)} | ${oneDecimal(p.afterHoursHours)} |`);
    out.push("");
    out.push(
      mermaidXyChart({
        title: "Pages (bars) and after-hours hours responding (line), per person",
        yAxis: "pages / hours",
        categories: r.people.map((p) => p.login),
        bar: { name: "pages", values: r.people.map((p) => p.pages) },
        line: { name: "after-hours hours", values: r.people.map((p) => p.afterHoursHours) },
      }),
      "",
    );
  }

  out.push("## Sign-off lead time, by gate", "");
  if (r.gates.length === 0) out.push("No sign-off completed in this period.", "");
  else {
    out.push("| Gate | Sign-offs | To the last approval (mean / median / p90) | To merge (mean / median / p90) | Without approval | Pending |", "|---|---:|---|---|---:|---:|");
    for (const g of r.gates) out.push(`| ${cell(g.gate)} | ${g.count} | ${triple(g.leadTime, fromHours)} | ${triple(g.toMerge, fromHours)} | ${g.unsigned} | ${g.pending} |`);
    out.push("");
  }

  out.push("## Kill-switch time active", "");
  if (r.killSwitch.length === 0) out.push("No kill-switch was active in this period.", "");
  else {
    out.push("| Scope | Activations | Time active | Longest | Active at the end |", "|---|---:|---|---|---|");
    for (const k of r.killSwitch) out.push(`| ${cell(k.scope)} | ${k.activations} | ${fromHours(k.activeHours)} | ${fromHours(k.longestHours)} | ${k.activeAtEnd ? "yes" : "no"} |`);
    out.push("");
  }
  if (r.notCounted.length > 0) {
    out.push("## Not counted", "", "Found and left out, because only Charter's own sealed records count:", "");
    for (const n of r.notCounted) out.push(`- ${inlineUserText(n, 300)}`);
    out.push("");
  }
  return out.join("\n").trimEnd() + "\n";
}

function csvField(v: string | number | boolean | null): string {
  const s = v === null ? "" : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per figure: `section,key,metric,value` (durations in minutes for incidents, hours otherwise). */
export function reportCsv(r: Report): string {
  const rows: (string | number | boolean | null)[][] = [["section", "key", "metric", "value"]];
  const statRows = (section: string, key: string, name: string, s: Stat) => {
    for (const m of ["count", "mean", "median", "p90", "max"] as const) rows.push([section, key, `${name}_${m}`, s[m]]);
  };
  rows.push(["period", "", "since", r.since], ["period", "", "until", r.until], ["period", "", "working_hours", r.workingHours]);
  for (const [k, v] of Object.entries(r.totals)) rows.push(["totals", "", k, v]);
  for (const s of r.severities) {
    rows.push(["severity", s.severity, "incidents", s.incidents], ["severity", s.severity, "acknowledged", s.acknowledged], ["severity", s.severity, "resolved", s.resolved], ["severity", s.severity, "escalated", s.escalated]);
    statRows("severity", s.severity, "mtta_minutes", s.mtta);
    statRows("severity", s.severity, "mttr_minutes", s.mttr);
    for (const [k, v] of Object.entries(s.compliance)) rows.push(["severity", s.severity, `compliance_${k.replace("-", "_")}`, v]);
  }
  for (const p of r.people) {
    rows.push(["person", p.login, "zone", p.zone], ["person", p.login, "pages", p.pages], ["person", p.login, "after_hours_pages", p.afterHoursPages]);
    rows.push(["person", p.login, "responding_hours", p.respondingHours], ["person", p.login, "after_hours_hours", p.afterHoursHours]);
  }
  for (const g of r.gates) {
    rows.push(["gate", g.gate, "signoffs", g.count]);
    statRows("gate", g.gate, "lead_time_hours", g.leadTime);
    statRows("gate", g.gate, "to_merge_hours", g.toMerge);
    rows.push(["gate", g.gate, "without_approval", g.unsigned], ["gate", g.gate, "pending", g.pending]);
  }
  for (const k of r.killSwitch) {
    rows.push(["kill_switch", k.scope, "activations", k.activations], ["kill_switch", k.scope, "active_hours", k.activeHours]);
    rows.push(["kill_switch", k.scope, "longest_hours", k.longestHours], ["kill_switch", k.scope, "active_at_end", k.activeAtEnd]);
  }
  for (const n of r.notCounted) rows.push(["not_counted", "", "reason", n]);
  return rows.map((row) => row.map(csvField).join(",")).join("\n") + "\n";
}
