/**
 * Every authority (and duty) the governance files give, and to whom: sign or veto a phase gate,
 * sign changes to a path, decide or approve a rollback, activate, approve or resume the
 * kill-switch, run each incident command, break the glass or sign its review, be paged, be
 * assigned incidents, own their reviews, be Accountable for a RACI activity. Only what Charter
 * enforces or acts on is listed; documentary keys (`decisions`, `authority:` words) are not.
 *
 * An action's `key` names it by ids (`gate:P3>P4:sign`), so a changed title is not a change of
 * authority; `verb` is Charter's words and `object` the governance file's (shown neutralised).
 */
import { durationMs, formatDuration } from "../duration.js";
import { INCIDENT_COMMANDS, whoMayRun } from "../incidents/authority.js";
import type { Governance } from "../model/governance.js";
import { expandRef, type Holding } from "./people.js";

export type ActionCategory = "gate" | "owners" | "killswitch" | "rollback" | "command" | "breakglass" | "duty" | "raci";

export interface Action {
  key: string;
  category: ActionCategory;
  /** Charter's words: "sign the phase gate". */
  verb: string;
  /** What, from the files (a title, a path, a command); empty when the verb says it all. */
  object: string;
}

export interface Grant extends Holding {
  action: Action;
}

/** The order actions are listed in. */
export const CATEGORY_ORDER: readonly ActionCategory[] = ["gate", "owners", "killswitch", "rollback", "breakglass", "command", "duty", "raci"];

const COMMAND_WORDS: Record<string, string> = {
  ack: "/ack (acknowledge)",
  escalate: "/escalate",
  severity: "/severity",
  update: "/update",
  resolve: "/resolve",
  reopen: "/reopen",
  commander: "/commander",
  page: "/page",
  confirm: "/confirm",
};

/** `GA (P3 → P4)` or `P0 → P1`. */
export function gateLabel(gate: { from: string; to: string; title?: string }): string {
  return gate.title ? `${gate.title} (${gate.from} → ${gate.to})` : `${gate.from} → ${gate.to}`;
}

/**
 * At most this many (person, action, way) grants are listed for one model: a proposal naming a
 * thousand roles in a thousand places is described without the comparison of authority.
 */
export const MAX_GRANTS = 100_000;

/** Every grant of `g`, or undefined when there are more than `max`. */
export function grantsOf(g: Governance, max = MAX_GRANTS): Grant[] | undefined {
  const out: Grant[] = [];
  let over = false;
  const give = (refs: readonly string[] | undefined, action: Action, paging = false) => {
    for (const ref of refs ?? []) {
      const holdings = expandRef(g, ref, { paging });
      if (over || out.length + holdings.length > max) {
        over = true;
        return;
      }
      for (const h of holdings) out.push({ ...h, action });
    }
  };
  const give1 = (grant: Grant) => {
    if (over || out.length >= max) over = true;
    else out.push(grant);
  };
  const a = g.authority;

  for (const gate of a?.phases?.gates ?? []) {
    const id = `${gate.from}>${gate.to}`;
    const object = gateLabel(gate);
    give(gate.require, { key: `gate:${id}:sign`, category: "gate", verb: "sign the phase gate", object });
    const veto = gate.veto ?? "any-approver";
    const vetoers = veto === "any-approver" ? gate.require : veto === "none" ? [] : veto;
    give(vetoers, { key: `gate:${id}:veto`, category: "gate", verb: "veto the phase gate", object });
  }

  for (const rule of g.owners) {
    const action: Action = { key: `owners:${rule.pattern}`, category: "owners", verb: "sign changes to", object: rule.pattern };
    for (const o of rule.owners) {
      if (o.kind === "role") give([o.id], action);
      else if (o.kind === "user") give1({ subject: { kind: "person", login: o.login }, way: { as: "named" }, action });
      else give1({ subject: { kind: "team", team: o.team }, way: { as: "named" }, action });
    }
  }

  const ks = a?.kill_switch;
  for (const [id, s] of Object.entries(ks?.activation ?? {})) {
    give(s.who, { key: `ks:activate:${id}`, category: "killswitch", verb: "activate the kill-switch", object: s.title });
    if (s.approval !== "none") give(s.approval.roles, { key: `ks:approve:${id}`, category: "killswitch", verb: "approve kill-switch activations", object: s.title });
  }
  for (const rule of ks?.resume ?? []) give(rule.who, { key: `ks:resume:${rule.title}`, category: "killswitch", verb: "resume the kill-switch", object: rule.title });

  for (const [id, t] of Object.entries(a?.rollback?.types ?? {})) {
    give(t.decide, t.immediate ? { key: `rollback:${id}:now`, category: "rollback", verb: "roll back at once", object: t.title } : { key: `rollback:${id}:decide`, category: "rollback", verb: "decide rollbacks", object: t.title });
    give(t.approve, { key: `rollback:${id}:approve`, category: "rollback", verb: "approve rollbacks", object: t.title });
  }

  if (a?.break_glass) {
    give(a.break_glass.who, { key: "breakglass", category: "breakglass", verb: "break the glass on a pull request (/breakglass)", object: "" });
    give(a.break_glass.review.roles, { key: "breakglass:review", category: "breakglass", verb: "sign break-glass reviews", object: "" });
  }

  const inc = g.incidents;
  if (inc) {
    for (const cmd of INCIDENT_COMMANDS) give(whoMayRun(inc, cmd), { key: `cmd:${cmd}`, category: "command", verb: "run", object: COMMAND_WORDS[cmd] ?? `/${cmd}` });
    for (const [name, sev] of Object.entries(inc.severities)) {
      sev.escalation.forEach((step) => {
        const when = `+${formatDuration(durationMs(step.after))}`;
        give(step.notify, { key: `page:${name}:${step.after}`, category: "duty", verb: "be paged", object: `${name} at ${when}` }, true);
      });
      if (sev.assign) give([sev.assign], { key: `assign:${name}`, category: "duty", verb: "be assigned incidents", object: name }, true);
      if (sev.review?.owner) give([sev.review.owner], { key: `review:${name}`, category: "duty", verb: "own post-incident reviews", object: name }, true);
    }
    for (const [area, route] of Object.entries(inc.routing ?? {})) give([route.assign], { key: `route:${area}`, category: "duty", verb: "be assigned incidents in", object: area }, true);
  }

  for (const [id, act] of Object.entries(a?.raci?.activities ?? {})) give(act.A, { key: `raci:${id}:A`, category: "raci", verb: "be Accountable (RACI) for", object: act.title });
  return over ? undefined : out;
}
