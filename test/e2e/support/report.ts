/**
 * The demo's Markdown report: per story a Mermaid timeline and the transcript, then who was paged
 * when, what the sign-off check said, and the kill-switch log as Charter wrote it.
 */
import { parse } from "yaml";
import { localTime, TEAM_ZONE, type Entry, type Transcript } from "./transcript.js";

export interface Verdict {
  story: string;
  check: string;
  ok: boolean;
}

export interface ReportInput {
  transcript: Transcript;
  verdicts: Verdict[];
  /** The sign-off check at notable moments: pull request, title, moment, conclusion, summary. */
  checks: { pr: number; title: string; moment: string; conclusion: string; summary: string }[];
  /** governance/state/log.yml on main at the end. */
  log: string | undefined;
  /** governance/state/killswitch.yml on main at the end. */
  killswitch: string | undefined;
  durationMs: number;
  generatedAt: Date;
  serverCommand: string;
}

/** Text Mermaid's timeline grammar accepts: no colons, hashes, semicolons or markup. */
export function mermaidText(text: string, max = 70): string {
  let t = text
    .replace(/\*\*/g, "")
    .replace(/`/g, "")
    .replace(/"[^"]{25,}"/g, "")
    .replace(/#(\d+)/g, "№$1")
    .replace(/[:;#<>{}[\]]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  if (t.length > max) t = `${t.slice(0, max - 1).trimEnd()}…`;
  return t;
}

function period(iso: string): string {
  return localTime(iso).replace(/ [A-Z]+[+-]?\d*$/, "").replace(":", ".");
}

/** What goes on the timeline: people's actions, Charter's pages, checks, commits, openings and closings. */
function onTimeline(e: Entry): string | undefined {
  if (e.kind === "human") return `${e.actor} ${e.text}`;
  if (e.kind === "sweep") return "sweep";
  if (e.kind === "check") return `check ${e.text.replace(/^check "[^"]+" on /, "")}`;
  if (e.kind === "problem") return `PROBLEM ${e.text}`;
  if (e.kind !== "charter") return undefined;
  if (e.mentions?.length) return `Charter pages ${e.mentions.map((m) => `@${m}`).join(" ")}`;
  if (/^(committed|opened|closed|reopened|assigned)/.test(e.text)) return `Charter ${e.text}`;
  return undefined;
}

export function mermaidTimeline(title: string, entries: Entry[]): string {
  const lines = ["```mermaid", "timeline", `  title ${mermaidText(title, 90)} (${TEAM_ZONE} time)`];
  let day = "";
  let current = "";
  for (const e of entries) {
    const text = onTimeline(e);
    if (!text) continue;
    const d = localTime(e.at).split(" ")[0]!;
    if (d !== day) {
      day = d;
      lines.push(`  section ${d} ${e.at.slice(0, 10)}`);
      current = "";
    }
    const p = period(e.at).split(" ")[1]!;
    if (p !== current) {
      current = p;
      lines.push(`    ${p} : ${mermaidText(text)}`);
    } else {
      lines.push(`         : ${mermaidText(text)}`);
    }
  }
  lines.push("```");
  return lines.join("\n");
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function quote(text: string): string {
  return text
    .split("\n")
    .map((l) => `> ${l}`)
    .join("\n");
}

function transcriptTable(entries: Entry[]): string {
  const out = ["| time (Berlin) | UTC | who | what |", "|---|---|---|---|"];
  for (const e of entries) {
    if (e.kind === "chapter") continue;
    const who = e.kind === "human" ? `@${e.actor}` : e.kind === "sweep" ? "sweep" : e.kind === "note" ? "" : e.kind === "problem" ? "⚠️" : "Charter";
    out.push(`| ${localTime(e.at)} | ${e.at.slice(11, 16)} | ${who} | ${cell(e.text)} |`);
  }
  return out.join("\n");
}

function comments(entries: Entry[]): string {
  const shown = entries.filter((e) => e.kind === "charter" && e.detail && e.text.startsWith("commented"));
  if (shown.length === 0) return "";
  const parts = shown.map((e) => `<details><summary>${localTime(e.at)}: ${cell(e.text).replace(/</g, "&lt;")}</summary>\n\n${quote(e.detail!.replace(/<!--[\s\S]*?-->/g, "").trim())}\n\n</details>`);
  return `\n\nCharter's comments in full:\n\n${parts.join("\n\n")}`;
}

function logTable(log: string | undefined): string {
  if (log === undefined) return "_governance/state/log.yml is missing._";
  let entries: Record<string, unknown>[];
  try {
    entries = ((parse(log) as { entries?: Record<string, unknown>[] }).entries ?? []);
  } catch {
    return `_governance/state/log.yml does not parse:_\n\n\`\`\`yaml\n${log}\n\`\`\``;
  }
  if (entries.length === 0) return "_No entries._";
  const keys = ["timestamp", "action", "actor", "scope", "scenario", "severity", "reason", "approval", "notified"];
  const rows = entries.map((e) => `| ${keys.map((k) => cell(Array.isArray(e[k]) ? (e[k] as unknown[]).map((x) => `@${String(x)}`).join(", ") : String(e[k] ?? ""))).join(" | ")} |`);
  return [`| ${keys.join(" | ")} |`, `|${keys.map(() => "---").join("|")}|`, ...rows].join("\n");
}

export function renderReport(input: ReportInput): string {
  const { transcript } = input;
  const chapters = transcript.entries.filter((e) => e.kind === "chapter");
  const out: string[] = [];
  out.push("# Charter demo: three stories against the D9 operating model");
  out.push("");
  out.push(
    `Generated by \`npm run demo\` on ${input.generatedAt.toISOString()} in ${(input.durationMs / 1000).toFixed(1)} s. ` +
      `The real Charter server (\`${input.serverCommand}\`, built from this checkout) ran against a local GitHub emulator on 127.0.0.1, ` +
      "with this repository's own `governance/` (D9) on `main` of `acme/ingestion`. No credentials, no network. " +
      `Times are the demo's controlled clock, in ${TEAM_ZONE} (the rotation's zone) and UTC. People act through the emulator as they would in GitHub's web UI; ` +
      "every webhook was signed and delivered to the server, and Charter's reactions were read back from the emulator.",
  );
  out.push("");
  out.push("## Outcome");
  out.push("");
  out.push("| story | what should happen | |");
  out.push("|---|---|---|");
  for (const v of input.verdicts) out.push(`| ${cell(v.story)} | ${cell(v.check)} | ${v.ok ? "✅" : "❌"} |`);
  const problems = transcript.problems();
  if (problems.length) {
    out.push("");
    out.push(`**Problems seen:** ${problems.length}`);
    for (const p of problems) out.push(`- ${localTime(p.at)}: ${p.text}`);
  }

  for (const chapter of chapters) {
    const entries = transcript.entries.filter((e) => e.chapter === chapter.text && e.kind !== "chapter");
    out.push("");
    out.push(`## ${chapter.text}`);
    out.push("");
    if (chapter.detail) out.push(`${chapter.detail}\n`);
    out.push(mermaidTimeline(chapter.text.replace(/^Story \d+: /, ""), entries));
    out.push("");
    out.push(transcriptTable(entries) + comments(entries));
  }

  out.push("");
  out.push("## Who was paged or notified when");
  out.push("");
  out.push("Every comment in which Charter @-mentioned people (edits of its status comment notify nobody and are left out).");
  out.push("");
  const pages = transcript.pages();
  if (pages.length === 0) out.push("_Charter paged nobody._");
  else {
    out.push("| time (Berlin) | UTC | story | mentioned | comment |");
    out.push("|---|---|---|---|---|");
    for (const p of pages) out.push(`| ${localTime(p.at)} | ${p.at.slice(11, 16)} | ${cell(p.chapter.replace(/:.*/, ""))} | ${p.logins.map((l) => `@${l}`).join(", ")} | ${cell(p.text.replace(/^commented on #\d+ mentioning [^:]+: /, ""))} |`);
  }

  out.push("");
  out.push("## What the sign-off check said, and why");
  for (const c of input.checks) {
    out.push("");
    out.push(`### #${c.pr} ${c.title}, ${c.moment}: **${c.conclusion}**`);
    out.push("");
    out.push(quote(c.summary.trim()));
  }

  out.push("");
  out.push("## The kill-switch log (`governance/state/log.yml` on `main`, written by Charter)");
  out.push("");
  out.push(logTable(input.log));
  out.push("");
  out.push("<details><summary>The files as committed</summary>\n");
  out.push("```yaml\n# governance/state/killswitch.yml\n" + (input.killswitch ?? "(missing)").trim() + "\n```\n");
  out.push("```yaml\n# governance/state/log.yml\n" + (input.log ?? "(missing)").trim() + "\n```\n");
  out.push("</details>");
  out.push("");
  return out.join("\n");
}
