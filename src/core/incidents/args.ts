import { restAfter, type ParsedCommand } from "../commands/parse.js";
import type { Governance } from "../model/governance.js";
import type { IncidentsFile } from "../model/incidents.js";
import { closest } from "../validate/suggest.js";
import { blockUserText } from "../text/untrusted.js";
import { findSeverity, severityNames } from "./severity.js";
import { UPDATE_STATUSES, type UpdateStatus } from "./state.js";

export type ArgResult<T> = { ok: true; value: T } | { ok: false; message: string };

const MAX_TEXT = 2_000;
/** User text, shortened and neutralised (no mention, no HTML, so no marker): src/core/text/untrusted.ts. */
const clip = (s: string) => blockUserText(s, MAX_TEXT);
const LOGIN = /^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$/;

export function severityArgs(inc: IncidentsFile, c: ParsedCommand): ArgResult<{ severity: string; reason: string }> {
  const names = severityNames(inc);
  const word = c.args[0];
  if (!word) return { ok: false, message: `say which severity: one of ${names.map((n) => `\`${n}\``).join(", ")}.` };
  const severity = findSeverity(inc, word);
  if (!severity) {
    const guess = closest(word, names);
    return { ok: false, message: `\`${word.slice(0, 40)}\` is not a severity${guess ? ` (did you mean \`${guess}\`?)` : ""}; use one of ${names.map((n) => `\`${n}\``).join(", ")}.` };
  }
  return { ok: true, value: { severity, reason: clip(restAfter(c, 1)) } };
}

export function updateArgs(c: ParsedCommand): ArgResult<{ status: UpdateStatus; findings: string; nextSteps: string }> {
  const word = c.args[0]?.toLowerCase();
  const list = UPDATE_STATUSES.map((s) => `\`${s}\``).join(", ");
  if (!word) return { ok: false, message: `say the status (${list}) and what you know, e.g. \`/update identified Disk full on db-2\`.` };
  if (!(UPDATE_STATUSES as readonly string[]).includes(word)) {
    const guess = closest(word, UPDATE_STATUSES);
    return { ok: false, message: `\`${word.slice(0, 40)}\` is not a status${guess ? ` (did you mean \`${guess}\`?)` : ""}; use one of ${list}.` };
  }
  const line = restAfter(c, 1);
  const findings = line || c.details.split("\n")[0]!.trim();
  const nextSteps = line ? c.details : c.details.split("\n").slice(1).join("\n").trim();
  if (!findings) return { ok: false, message: `say what you know after the status, e.g. \`/update ${word} Rolled back release 4.2; error rate falling\`.` };
  return { ok: true, value: { status: word as UpdateStatus, findings: clip(findings), nextSteps: clip(nextSteps) } };
}

export function resolveArgs(c: ParsedCommand): ArgResult<{ rootCause: string; resolution: string }> {
  const rootCause = c.text || c.details.split("\n")[0]!.trim();
  if (!rootCause) return { ok: false, message: "say the root cause, e.g. `/resolve Expired TLS certificate on the ingest gateway` (lines below it: what fixed it)." };
  const resolution = c.text ? c.details : c.details.split("\n").slice(1).join("\n").trim();
  return { ok: true, value: { rootCause: clip(rootCause), resolution: clip(resolution) } };
}

export function commanderArgs(c: ParsedCommand): ArgResult<{ login: string }> {
  const word = c.args[0];
  const m = word ? LOGIN.exec(word) : null;
  if (!m || c.args.length > 1) return { ok: false, message: "name one person, e.g. `/commander @alice`." };
  return { ok: true, value: { login: m[1]! } };
}

/** `/page <role> [message]`: a role id or title, an on-call tier, or `everyone`. */
export function pageArgs(g: Governance, c: ParsedCommand): ArgResult<{ target: string; message: string }> {
  const word = c.args[0];
  const roles = Object.keys(g.roles.roles);
  const tiers = Object.entries(g.oncall?.schedules ?? {}).flatMap(([s, sch]) => Object.keys(sch.tiers).map((t) => `${s}/${t}`));
  const known = [...roles, ...tiers, "everyone"];
  if (!word) return { ok: false, message: `say whom to page: a role (${roles.map((r) => `\`${r}\``).join(", ")}), an on-call tier or \`everyone\`.` };
  const lower = word.toLowerCase();
  const target = known.find((k) => k === lower) ?? roles.find((r) => g.roles.roles[r]!.title.toLowerCase().replace(/\s+/g, "-") === lower);
  if (!target) {
    const guess = closest(lower, known);
    return { ok: false, message: `\`${word.slice(0, 40)}\` is not a role or on-call tier${guess ? ` (did you mean \`${guess}\`?)` : ""}; roles: ${roles.map((r) => `\`${r}\``).join(", ")}.` };
  }
  const message = [restAfter(c, 1), c.details].filter(Boolean).join("\n");
  return { ok: true, value: { target, message: clip(message) } };
}
