/**
 * The handoff message (D9 §3.3): who hands over to whom in each tier, what the incoming people
 * take over (open incidents, active kill-switches, pending approvals) and the handoff checklist of
 * oncall.yml for each side. Two forms: the GitHub comment (which @-mentions the outgoing and
 * incoming people, so GitHub notifies them) and the message for channels outside GitHub (plain
 * text, no mentions). Pure: the facts come in, text comes out. User text (incident and pull
 * request titles, kill-switch reasons) goes through the neutraliser.
 */
import type { Governance } from "../model/governance.js";
import type { NotifyMessage } from "../notify/message.js";
import { activeSwitches } from "../killswitch/scope.js";
import { formatAt, formatClock } from "../incidents/time.js";
import { inlineUserText } from "../text/untrusted.js";
import { handoffKey, type Handoff } from "./instants.js";

export interface OpenIncident {
  number: number;
  title: string;
  severity?: string;
  url: string;
  assignees: string[];
}

/** An open pull request Charter opened for a sign-off (resume, rollback, advance, activation). */
export interface PendingApproval {
  number: number;
  title: string;
  url: string;
  /** `resume`, `rollback`, `advance`, `activate` */
  kind: string;
  /** Who asked for it. */
  by: string;
}

export interface HandoffFacts {
  /** `owner/name` */
  repo: string;
  incidents: OpenIncident[];
  approvals: PendingApproval[];
  /** Link to the handoff comment's issue (for the channels' message). */
  url?: string;
}

const who = (people: readonly string[], mention: boolean) => (people.length === 0 ? "nobody" : people.map((p) => (mention ? `@${p}` : p)).join(", "));

const uniq = (xs: readonly string[]) => {
  const seen = new Set<string>();
  return xs.filter((x) => {
    const k = x.toLowerCase();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** Everyone handing over, and everyone taking over. */
export function sides(h: Handoff): { outgoing: string[]; incoming: string[] } {
  return { outgoing: uniq(h.changes.flatMap((c) => c.from)), incoming: uniq(h.changes.flatMap((c) => c.to)) };
}

function switchLines(g: Governance, zone: string): string[] {
  return activeSwitches(g.state.killswitch).map(([scope, s]) => {
    const since = s.since ? ` since ${formatAt(Date.parse(s.since), zone)}` : "";
    const by = s.by ? ` by ${s.by}` : "";
    const reason = s.reason ? `: ${inlineUserText(s.reason, 200)}` : "";
    const approval = s.approval?.status === "pending" ? ` (approval pending${s.approval.roles?.length ? ` from ${s.approval.roles.join(", ")}` : ""}${s.approval.due ? `, due ${formatClock(Date.parse(s.approval.due), zone)}` : ""})` : s.approval?.status === "overdue" ? " (approval overdue)" : "";
    return `\`${inlineUserText(scope, 100)}\`${since}${by}${reason}${approval}`;
  });
}

const KIND_WORDS: Record<string, string> = { resume: "resume", rollback: "rollback", advance: "phase advance", activate: "kill-switch activation" };

function sections(g: Governance, h: Handoff, facts: HandoffFacts, mention: boolean): { title: string; lines: string[] }[] {
  const zone = h.zone;
  const incidents = facts.incidents.map((i) => `#${i.number}${i.severity ? ` ${inlineUserText(i.severity, 20)}` : ""} ${inlineUserText(i.title, 150)}${i.assignees.length ? ` (${who(i.assignees, false)})` : ""}`);
  const approvals = facts.approvals.map((a) => `#${a.number} ${inlineUserText(a.title, 150)} (${KIND_WORDS[a.kind] ?? a.kind}, asked by ${inlineUserText(a.by, 40)}${mention ? "" : ""})`);
  return [
    { title: `Open incidents (${incidents.length})`, lines: incidents.length ? incidents : ["none"] },
    { title: `Active kill-switches (${switchLines(g, zone).length})`, lines: switchLines(g, zone).length ? switchLines(g, zone) : ["none"] },
    { title: `Pending approvals (${approvals.length})`, lines: approvals.length ? approvals : ["none"] },
  ];
}

/** `Ingestion on-call: Mon 2025-03-31 09:00 CEST` */
export function handoffHeadline(h: Handoff): string {
  return `${inlineUserText(h.title, 100)}: ${formatAt(h.at, h.zone)}`;
}

/** The GitHub comment: a table of who hands over to whom (mentioned), what is open, and each side's checklist. */
export function handoffComment(g: Governance, h: Handoff, facts: HandoffFacts): string {
  const { outgoing, incoming } = sides(h);
  const checklist = g.oncall?.handoff_checklist;
  const rows = h.changes.map((c) => `| ${inlineUserText(c.title, 60)} | ${who(c.from, true)} | ${who(c.to, true)}${c.override ? ` (override: ${inlineUserText(c.override, 120)})` : ""} |`);
  const out = [`### 🔁 On-call handoff: ${handoffHeadline(h)}`, "", "| Tier | Outgoing | Incoming |", "|---|---|---|", ...rows, ""];
  for (const s of sections(g, h, facts, true)) out.push(`**${s.title}**`, ...s.lines.map((l) => (l === "none" ? "- none" : `- ${l}`)), "");
  if (checklist?.outgoing.length) out.push(`**Outgoing (${who(outgoing, true)})**`, ...checklist.outgoing.map((x) => `- [ ] ${inlineUserText(x, 200)}`), "");
  if (checklist?.incoming.length) out.push(`**Incoming (${who(incoming, true)})**`, ...checklist.incoming.map((x) => `- [ ] ${inlineUserText(x, 200)}`), "");
  out.push("<sub>The checklist is oncall.yml's `handoff_checklist`; ticking it here is for you: Charter records nothing from it.</sub>");
  return out.join("\n");
}

/** The message for channels outside GitHub (routes of the `handoff` event, the tiers' contacts). */
export function handoffMessage(g: Governance, h: Handoff, facts: HandoffFacts): NotifyMessage {
  const { outgoing, incoming } = sides(h);
  const checklist = g.oncall?.handoff_checklist;
  const title = `On-call handoff, ${handoffHeadline(h)}: ${h.changes.map((c) => `${inlineUserText(c.title, 60)} ${who(c.from, false)} → ${who(c.to, false)}`).join("; ")}`;
  const lines = [`🔁 ${title}`];
  for (const s of sections(g, h, facts, false)) lines.push(`${s.title}: ${s.lines.join("; ")}`);
  if (checklist?.outgoing.length) lines.push(`Outgoing (${who(outgoing, false)}): ${checklist.outgoing.map((x) => inlineUserText(x, 200)).join("; ")}`);
  if (checklist?.incoming.length) lines.push(`Incoming (${who(incoming, false)}): ${checklist.incoming.map((x) => inlineUserText(x, 200)).join("; ")}`);
  if (facts.url) lines.push(facts.url);
  const targets = uniq([...h.changes.map((c) => c.ref), ...tierRoles(g, h.changes.map((c) => c.ref))]);
  return {
    key: `handoff-${h.schedule}-${h.at.toISOString().replace(/[:.]/g, "")}`,
    event: "handoff",
    title,
    text: lines.join("\n"),
    at: h.at.toISOString(),
    ...(facts.url ? { url: facts.url } : {}),
    targets,
    people: uniq([...outgoing, ...incoming]),
  };
}

/** Roles whose on-call tiers (roles.yml `oncall`) include one of `refs`: their contacts are the tiers' contacts too. */
export function tierRoles(g: Governance, refs: readonly string[]): string[] {
  const out: string[] = [];
  for (const [id, role] of Object.entries(g.roles.roles)) {
    const tiers = role.oncall === undefined ? [] : Array.isArray(role.oncall) ? role.oncall : [role.oncall];
    if (tiers.some((t) => refs.includes(t))) out.push(id);
  }
  return out;
}

export { handoffKey };
