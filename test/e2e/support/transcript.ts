/**
 * What happened, in words, at which clock time: people's actions, Charter's reactions as seen on
 * GitHub, and the sweeps. The demo prints it as it goes and renders it as Markdown with a Mermaid
 * timeline; end-to-end tests print it when a story fails.
 */
import type { CheckRunRecord } from "../../emulator/index.js";

export type EntryKind = "chapter" | "human" | "charter" | "check" | "sweep" | "note" | "problem";

export interface Entry {
  /** Shared clock instant (ISO, UTC). */
  at: string;
  kind: EntryKind;
  /** Login for human entries; "Charter" for Charter's. */
  actor?: string;
  text: string;
  /** Full text worth showing under the line (a comment body, a check summary). */
  detail?: string;
  /** Logins @-mentioned by Charter in this entry (pages). */
  mentions?: string[];
  chapter: string;
}

export const TEAM_ZONE = "Europe/Berlin";

/** `Mon 12:16 CEST` in the team's zone (D9's rotation is on Berlin time). */
export function localTime(iso: string, zone = TEAM_ZONE): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: zone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZoneName: "short" }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("weekday")} ${get("hour")}:${get("minute")} ${get("timeZoneName")}`;
}

/** @-mentions GitHub would notify: not inside code spans, code blocks or HTML comments. */
export function mentionsIn(text: string): string[] {
  const out: string[] = [];
  const prose = text.replace(/```[\s\S]*?```/g, " ").replace(/<!--[\s\S]*?-->/g, " ").replace(/`[^`\n]*`/g, " ");
  for (const m of prose.matchAll(/(?<![\w`/])@([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))(?![\w/-])/g)) {
    if (!out.some((x) => x.toLowerCase() === m[1]!.toLowerCase())) out.push(m[1]!);
  }
  return out;
}

function firstLine(text: string, max = 140): string {
  const line = text.split("\n").map((l) => l.trim()).find((l) => l !== "" && !l.startsWith("<!--") && !l.startsWith(">")) ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export class Transcript {
  readonly entries: Entry[] = [];
  clock = new Date(0).toISOString();
  private currentChapter = "";
  /** Called for every entry as it is added (the demo prints live). */
  onEntry: ((entry: Entry) => void) | undefined;

  private add(entry: Omit<Entry, "at" | "chapter">): void {
    const e: Entry = { at: this.clock, chapter: this.currentChapter, ...entry };
    this.entries.push(e);
    this.onEntry?.(e);
  }

  chapter(title: string, intro?: string): void {
    this.currentChapter = title;
    this.add({ kind: "chapter", text: title, ...(intro ? { detail: intro } : {}) });
  }

  human(login: string, text: string): void {
    this.add({ kind: "human", actor: login, text });
  }

  charter(text: string): void {
    this.add({ kind: "charter", actor: "Charter", text });
  }

  /** A comment Charter wrote, or edited (`previous` = the text before the edit). */
  charterComment(number: number, body: string, previous?: string): void {
    if (previous !== undefined) {
      // an edit notifies nobody; say what changed
      const old = new Set(previous.split("\n").map((l) => l.trim()));
      const changed = body.split("\n").map((l) => l.trim()).find((l) => l !== "" && !old.has(l) && !l.startsWith("<!--"));
      this.add({ kind: "charter", actor: "Charter", text: `updated its comment on #${number}${changed ? `: "${firstLine(changed)}"` : ""}`, detail: body });
      return;
    }
    const mentions = mentionsIn(body);
    const who = mentions.length ? ` mentioning ${mentions.map((m) => `@${m}`).join(", ")}` : "";
    this.add({ kind: "charter", actor: "Charter", text: `commented on #${number}${who}: "${firstLine(body)}"`, detail: body, mentions });
  }

  check(run: CheckRunRecord, pulls: number[]): void {
    const state = run.status === "completed" ? (run.conclusion ?? "completed") : run.status;
    const where = pulls.length ? `#${pulls.join(", #")} ` : "";
    this.add({
      kind: "check",
      actor: "Charter",
      text: `check "${run.name}" on ${where}(${run.headSha.slice(0, 7)}): **${state}**${run.output.title ? ` - ${run.output.title}` : ""}`,
      ...(run.output.summary ? { detail: run.output.summary } : {}),
    });
  }

  sweep(): void {
    this.add({ kind: "sweep", text: "the periodic reconcile runs (sweep)" });
  }

  note(text: string, detail?: string): void {
    this.add({ kind: "note", text, ...(detail ? { detail } : {}) });
  }

  problem(text: string): void {
    this.add({ kind: "problem", text });
  }

  problems(): Entry[] {
    return this.entries.filter((e) => e.kind === "problem");
  }

  /** Charter's pages: who was @-mentioned by Charter, when, per chapter. */
  pages(): { at: string; chapter: string; logins: string[]; text: string }[] {
    return this.entries.filter((e) => e.mentions?.length).map((e) => ({ at: e.at, chapter: e.chapter, logins: e.mentions!, text: e.text }));
  }

  /** One line for a terminal. */
  static line(e: Entry): string {
    const t = `${localTime(e.at)} (${e.at.slice(11, 16)}Z)`;
    switch (e.kind) {
      case "chapter":
        return `\n=== ${e.text} ===${e.detail ? `\n${e.detail}` : ""}`;
      case "human":
        return `${t}  ${e.actor} ${e.text}`;
      case "charter":
      case "check":
        return `${t}    -> Charter ${e.text.replace(/\*\*/g, "")}`;
      case "sweep":
        return `${t}  ~~ ${e.text}`;
      case "note":
        return `${t}  .. ${e.text}${e.detail ? `\n${indent(e.detail, "        ")}` : ""}`;
      case "problem":
        return `${t}  !! ${e.text}`;
    }
  }

  toText(): string {
    return this.entries.map((e) => Transcript.line(e)).join("\n");
  }
}

export function indent(text: string, prefix: string): string {
  return text.split("\n").map((l) => `${prefix}${l}`).join("\n");
}
