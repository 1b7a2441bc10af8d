/**
 * A deployment day's state (seed 004) and every change to it, pure: the facts come in (who, when,
 * what they wrote), a new state and the messages to send come out, or a refusal in words.
 *
 * - The go/no-go gate is signed with `/go` or `/no-go <reason>` by a holder of `go_no_go.decide`.
 * - A checklist item counts as done only from `/done <item>` by a holder of the item's owning role,
 *   judged by roles.yml on the default branch at that instant: a tick in the issue body, someone
 *   else's `/done`, an edited comment or a copied marker never count (the state lives in Charter's
 *   sealed record; commands are read from new comments only).
 * - Between go and the all-clear a status update (`/status`) is due every `updates.every`; a missed
 *   one is reminded to the Deployment Lead once per due instant ({@link dueReminder}).
 * - `/alert`, `/resolved` and `/all-clear` post seed 004's issue, resolution and all-clear
 *   notifications; the all-clear needs go, every item done and no open alert.
 */
import { durationMs, formatDuration } from "../duration.js";
import { formatClock } from "../incidents/time.js";
import { heldRoles } from "../killswitch/people.js";
import type { DeploymentKind } from "../model/deployments.js";
import type { Governance } from "../model/governance.js";
import type { NotifyMessage } from "../notify/message.js";
import { roleTitle, type TeamMembers } from "../roles/resolve.js";
import { blockUserText, inlineUserText } from "../text/untrusted.js";
import { deploymentText } from "./templates.js";

export interface Signed {
  by: string;
  at: string;
}

export interface DeploymentAlert extends Signed {
  n: number;
  type: string;
  severity: string;
  resolved?: Signed & { status: string };
}

export interface DeploymentState {
  kind: string;
  /** T: the planned start from the issue form. */
  start?: string;
  go?: Signed;
  noGo?: Signed & { reason: string };
  /** Item id → who ticked it, when. */
  done: Record<string, Signed>;
  /** The last status update (or the go, before the first). */
  lastUpdate?: string;
  updates: number;
  /** Due instants already reminded (ISO), the last few. */
  reminded: string[];
  alerts: DeploymentAlert[];
  allClear?: Signed;
}

export interface Actor {
  login: string;
  association?: string | null;
}

export interface DeploymentContext {
  g: Governance;
  d: DeploymentKind;
  repo: string;
  issue: number;
  url: string;
  title: string;
  now: Date;
  teams?: TeamMembers;
}

export type Change = { state: DeploymentState; messages: NotifyMessage[]; reply?: string } | { refused: string };

export function newState(kind: string, start?: Date): DeploymentState {
  return { kind, ...(start ? { start: start.toISOString() } : {}), done: {}, updates: 0, reminded: [], alerts: [] };
}

export const items = (d: DeploymentKind) => d.stages.flatMap((s) => s.items);
const everyMs = (d: DeploymentKind) => durationMs(d.updates.every);
const zone = "UTC";

/** Whether `actor` holds one of `roles` now. */
export function mayAct(c: DeploymentContext, roles: readonly string[], actor: Actor): boolean {
  return heldRoles(c.g, roles, actor.login, c.now, c.teams, actor.association).length > 0;
}

const titles = (c: DeploymentContext, roles: readonly string[]) => roles.map((r) => roleTitle(c.g, r)).join(" or ");

function message(c: DeploymentContext, key: string, event: NotifyMessage["event"], title: string, text: string, targets?: string[]): NotifyMessage {
  return { key, event, title: `${c.d.title} #${c.issue}: ${title}`, text, at: c.now.toISOString(), url: c.url, ...(targets ? { targets } : {}) };
}

const open = (s: DeploymentState) => Boolean(s.go) && !s.allClear && !s.noGo;
const finished = (s: DeploymentState) => Boolean(s.allClear || s.noGo);

export function signGo(c: DeploymentContext, s: DeploymentState, actor: Actor): Change {
  if (!mayAct(c, c.d.go_no_go.decide, actor)) return { refused: `only the ${titles(c, c.d.go_no_go.decide)} signs the go/no-go gate.` };
  if (finished(s)) return { refused: "this deployment is over." };
  if (s.go) return { refused: `the gate was already signed go by ${s.go.by} at ${formatClock(Date.parse(s.go.at), zone)}.` };
  const at = c.now.toISOString();
  const state = { ...s, go: { by: actor.login, at }, lastUpdate: at };
  const next = formatClock(c.now.getTime() + everyMs(c.d), zone);
  return {
    state,
    messages: [message(c, "go", "deployment.go", `GO signed by ${actor.login}`, `GO: ${c.d.title} #${c.issue}, signed by ${actor.login} at ${formatClock(c.now, zone)}.\nStatus updates every ${c.d.updates.every}; the first is due at ${next}.`)],
    reply: `GO signed. The deployment window is open: a status update (\`/status …\`) is due every ${c.d.updates.every}, the first at ${next}.`,
  };
}

export function signNoGo(c: DeploymentContext, s: DeploymentState, actor: Actor, reason: string): Change {
  if (!mayAct(c, c.d.go_no_go.decide, actor)) return { refused: `only the ${titles(c, c.d.go_no_go.decide)} signs the go/no-go gate.` };
  if (finished(s) || s.go) return { refused: s.go ? "the gate was already signed go; to stop now, roll back." : "this deployment is over." };
  if (reason.trim() === "") return { refused: "say why: `/no-go <reason>`." };
  const why = inlineUserText(reason, 300);
  return { state: { ...s, noGo: { by: actor.login, at: c.now.toISOString(), reason: why } }, messages: [message(c, "nogo", "deployment.go", `NO-GO signed by ${actor.login}`, `NO-GO: ${c.d.title} #${c.issue}, signed by ${actor.login}: ${why}`)] };
}

export function tick(c: DeploymentContext, s: DeploymentState, actor: Actor, itemId: string): Change {
  const item = items(c.d).find((i) => i.id === itemId);
  if (!item) return { refused: `there is no item \`${inlineUserText(itemId, 60)}\`; items: ${items(c.d).map((i) => `\`${i.id}\``).join(", ")}.` };
  if (!mayAct(c, [item.owner], actor)) return { refused: `\`${item.id}\` (${inlineUserText(item.text)}) is ticked by the ${roleTitle(c.g, item.owner)} only.` };
  if (finished(s)) return { refused: "this deployment is over." };
  if (s.done[item.id]) return { refused: `\`${item.id}\` was already ticked by ${s.done[item.id]!.by}.` };
  return { state: { ...s, done: { ...s.done, [item.id]: { by: actor.login, at: c.now.toISOString() } } }, messages: [] };
}

/** Stage by stage: COMPLETE, IN PROGRESS or PENDING (seed 004's status lines). */
export function stageLines(c: DeploymentContext, s: DeploymentState): string[] {
  let current = false;
  return c.d.stages.map((st) => {
    const n = st.items.filter((i) => s.done[i.id]).length;
    if (n === st.items.length) return `🟢 ${st.title}: COMPLETE`;
    if (!current) {
      current = true;
      return `🟡 ${st.title}: IN PROGRESS (${n}/${st.items.length})`;
    }
    return `⏳ ${st.title}: PENDING`;
  });
}

const openAlerts = (s: DeploymentState) => s.alerts.filter((a) => !a.resolved);

export function statusUpdate(c: DeploymentContext, s: DeploymentState, actor: Actor, text: string): Change {
  const by = c.d.updates.by ?? [c.d.lead];
  if (!mayAct(c, by, actor)) return { refused: `status updates are posted by the ${titles(c, by)}.` };
  if (!open(s)) return { refused: s.go ? "this deployment is over." : "the window opens when the go/no-go gate is signed (`/go`)." };
  const n = s.updates + 1;
  const alerts = openAlerts(s);
  const body = deploymentText(c.d, "status", {
    title: c.d.title,
    time: formatClock(c.now, zone),
    status: alerts.length ? "ISSUE" : "IN PROGRESS",
    elapsed: formatDuration(c.now.getTime() - Date.parse(s.go!.at)),
    planned: s.start ? formatClock(Date.parse(s.start), zone) : "",
    stages: stageLines(c, s).join("\n"),
    issues: alerts.length ? alerts.map((a) => `#${a.n} ${a.type} (${a.severity})`).join(", ") : "None",
    text: blockUserText(text, 1_000),
    next: formatClock(c.now.getTime() + everyMs(c.d), zone),
  });
  return { state: { ...s, updates: n, lastUpdate: c.now.toISOString() }, messages: [message(c, `u${n}`, "deployment.update", `status update ${n}`, body)] };
}

const SEVERITIES = ["critical", "high", "medium"] as const;

/** `/alert <critical|high|medium> <type>` with `Description:`, `Action:`, `ETA:` lines. */
export function raiseAlert(c: DeploymentContext, s: DeploymentState, actor: Actor, args: { severity: string; type: string; details: string }): Change {
  if (!mayAct(c, Object.keys(c.g.roles.roles), actor)) return { refused: "alerts are raised by people who hold a role in `governance/roles.yml`." };
  if (!open(s)) return { refused: s.go ? "this deployment is over." : "the window opens when the go/no-go gate is signed (`/go`)." };
  const severity = args.severity.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(severity)) return { refused: "the severity is one of critical, high, medium: `/alert high <issue type>`." };
  if (args.type.trim() === "") return { refused: "name the issue: `/alert high <issue type>`." };
  const field = (name: string) => lineField(args.details, name);
  const n = s.alerts.length + 1;
  const type = inlineUserText(args.type, 120);
  const sev = severity[0]!.toUpperCase() + severity.slice(1);
  const body = deploymentText(c.d, "issue", {
    title: c.d.title,
    type,
    severity: sev,
    time: formatClock(c.now, zone),
    description: inlineUserText(field("description") ?? "", 500),
    action: inlineUserText(field("action") ?? "", 300),
    eta: inlineUserText(field("eta") ?? "", 60),
    assignee: actor.login,
  });
  const alert: DeploymentAlert = { n, type, severity: sev, by: actor.login, at: c.now.toISOString() };
  return { state: { ...s, alerts: [...s.alerts, alert] }, messages: [message(c, `a${n}`, "deployment.issue", `ALERT ${n}: ${type}`, body, [c.d.lead])], reply: `alert ${n} posted; \`/resolved ${n} <status>\` when it is over.` };
}

export function resolveAlert(c: DeploymentContext, s: DeploymentState, actor: Actor, args: { n: number; status: string; details: string }): Change {
  const a = s.alerts.find((x) => x.n === args.n);
  if (!a) return { refused: `there is no alert ${args.n}${s.alerts.length ? `; alerts: ${s.alerts.map((x) => x.n).join(", ")}` : ""}.` };
  if (a.resolved) return { refused: `alert ${a.n} was resolved by ${a.resolved.by}.` };
  if (!mayAct(c, [c.d.lead], actor) && actor.login.toLowerCase() !== a.by.toLowerCase()) return { refused: `an alert is resolved by whoever raised it or the ${roleTitle(c.g, c.d.lead)}.` };
  const status = inlineUserText(args.status.trim() === "" ? "Back to normal" : args.status, 120);
  const body = deploymentText(c.d, "resolution", {
    title: c.d.title,
    issue: a.type,
    duration: formatDuration(c.now.getTime() - Date.parse(a.at)),
    status,
    cause: inlineUserText(lineField(args.details, "root cause") ?? "TBD after analysis", 300),
    next: inlineUserText(lineField(args.details, "next steps") ?? lineField(args.details, "next") ?? "", 300),
  });
  const alerts = s.alerts.map((x) => (x.n === a.n ? { ...x, resolved: { by: actor.login, at: c.now.toISOString(), status } } : x));
  return { state: { ...s, alerts }, messages: [message(c, `x${a.n}`, "deployment.resolved", `RESOLVED ${a.n}: ${a.type}`, body)] };
}

export function declareAllClear(c: DeploymentContext, s: DeploymentState, actor: Actor, metrics: string): Change {
  if (!mayAct(c, [c.d.lead], actor)) return { refused: `the all-clear is declared by the ${roleTitle(c.g, c.d.lead)}.` };
  if (!open(s)) return { refused: s.go ? "this deployment is over." : "the go/no-go gate is not signed go." };
  const missing = items(c.d).filter((i) => !s.done[i.id]);
  if (missing.length) return { refused: `not every item is done: ${missing.map((i) => `\`${i.id}\` (${roleTitle(c.g, i.owner)})`).join(", ")}.` };
  const unresolved = openAlerts(s);
  if (unresolved.length) return { refused: `alert ${unresolved.map((a) => a.n).join(", ")} is not resolved.` };
  const team = [...new Set([s.go!.by, ...Object.values(s.done).map((x) => x.by)].map((x) => x.toLowerCase()))];
  const body = deploymentText(c.d, "all_clear", {
    title: c.d.title,
    duration: formatDuration(c.now.getTime() - Date.parse(s.go!.at)),
    metrics: inlineUserText(metrics.trim() === "" ? "see the deployment issue" : metrics, 300),
    team: team.join(", "),
  });
  return { state: { ...s, allClear: { by: actor.login, at: c.now.toISOString() } }, messages: [message(c, "c", "deployment.all-clear", "ALL-CLEAR", body)] };
}

/** `Name: value` on its own line of `details` (case-insensitive name), linear. */
export function lineField(details: string, name: string): string | undefined {
  for (const line of details.slice(0, 4_000).split("\n")) {
    const at = line.indexOf(":");
    if (at > 0 && line.slice(0, at).trim().toLowerCase() === name) return line.slice(at + 1).trim();
  }
  return undefined;
}

/** The instant the next status update is due (the window is open), else undefined. */
export function updateDueAt(d: DeploymentKind, s: DeploymentState): number | undefined {
  if (!open(s) || !s.lastUpdate) return undefined;
  return Date.parse(s.lastUpdate) + everyMs(d);
}

/**
 * The reminder due at `now`: the latest due instant (the update's due time, then every
 * `updates.every` after it while no update comes) at or before `now`, unless already reminded.
 * Also the instant the next reminder is due, for a timer.
 */
export function dueReminder(d: DeploymentKind, s: DeploymentState, now: Date): { at?: number; next?: number } {
  const first = updateDueAt(d, s);
  if (first === undefined) return {};
  const every = everyMs(d);
  if (now.getTime() < first) return { next: first };
  const k = Math.floor((now.getTime() - first) / every);
  const at = first + k * every;
  const next = at + every;
  return s.reminded.includes(new Date(at).toISOString()) ? { next } : { at, next };
}

export function remind(c: DeploymentContext, s: DeploymentState, at: number): { state: DeploymentState; messages: NotifyMessage[]; text: string } {
  const due = formatClock(at, zone);
  const late = formatDuration(c.now.getTime() - Date.parse(s.lastUpdate!));
  const text = `⏰ The status update due at ${due} is missing (every ${c.d.updates.every}; the last was ${late} ago). Post one with \`/status <what is happening>\`.`;
  return {
    state: { ...s, reminded: [...s.reminded, new Date(at).toISOString()].slice(-20) },
    messages: [message(c, `r${new Date(at).toISOString()}`, "deployment.reminder", `status update due at ${due} missing`, text, [c.d.lead])],
    text,
  };
}
