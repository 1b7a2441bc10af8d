import { notFound, phaseLabel, RACI_LETTERS, RACI_MEANING } from "../authority/lookup.js";
import { durationMs } from "../duration.js";
import { EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { Role } from "../model/roles.js";
import { done, holding, instant, offset, table, tierTitle, unknown, usage, type ExplainResult } from "./format.js";
import { ownersLine } from "./path.js";

/** A role named by a person: its id (`sre-lead`, any case) or its title (`SRE Lead`). */
export function findRole(g: Governance, name: string): [string, Role] | undefined {
  const entries = Object.entries(g.roles.roles);
  const lower = name.trim().toLowerCase();
  return entries.find(([id]) => id === name) ?? entries.find(([id]) => id.toLowerCase() === lower) ?? entries.find(([, r]) => r.title.toLowerCase() === lower);
}

/** Where a role is named across the governance files. */
export interface Mention {
  /** `Phase gate`, `RACI`, `Rollback`, `Kill-switch activation`, `Incident ladder` … */
  area: string;
  /** What names it, e.g. `P3 → P4 (GA)`. */
  where: string;
  /** What the role does there, e.g. `must sign`. */
  what: string;
}

/** Every place that names `roleId` directly, through one of its on-call tiers, or as `everyone`. */
export function roleMentions(g: Governance, roleId: string): Mention[] {
  const role = g.roles.roles[roleId];
  const tiers = role?.oncall === undefined ? [] : Array.isArray(role.oncall) ? role.oncall : [role.oncall];
  const via = (ref: string): string | undefined => (ref === roleId ? "" : tiers.includes(ref) ? ` (as ${ref})` : ref === EVERYONE ? " (as everyone)" : undefined);
  const out: Mention[] = [];
  const add = (area: string, where: string, what: string, refs: readonly string[] | undefined) => {
    for (const r of refs ?? []) {
      const v = via(r);
      if (v !== undefined) {
        out.push({ area, where, what: what + v });
        return;
      }
    }
  };
  const a = g.authority;
  (a?.phases?.gates ?? []).forEach((gate) => {
    const where = `${phaseLabel(g, gate.from)} → ${phaseLabel(g, gate.to)}`;
    add("Phase gate", where, "must sign", gate.require);
    if (Array.isArray(gate.veto)) add("Phase gate", where, "may veto", gate.veto);
    const confirms = (gate.confirmations ?? []).flatMap((c) => (typeof c === "object" && c.role ? [c] : []));
    for (const c of confirms) add("Phase gate", where, `confirms "${c.text}"`, [c.role!]);
  });
  for (const l of RACI_LETTERS) {
    const acts = Object.values(a?.raci?.activities ?? {}).filter((act) => (act[l] ?? []).some((r) => via(r) !== undefined));
    if (acts.length > 0) out.push({ area: "RACI", where: acts.map((act) => act.title).join(", "), what: `${RACI_MEANING[l]} (${l})` });
  }
  for (const t of Object.values(a?.rollback?.types ?? {})) {
    add("Rollback", t.title, t.immediate ? "decides (may act at once)" : "decides", t.decide);
    add("Rollback", t.title, "approves", t.approve);
    add("Rollback", t.title, "consulted", t.consult);
    add("Rollback", t.title, "informed", t.inform);
  }
  const ks = a?.kill_switch;
  for (const s of Object.values(ks?.activation ?? {})) {
    add("Kill-switch activation", s.title, "may activate", s.who);
    if (s.approval !== "none") add("Kill-switch activation", s.title, "approves", s.approval.roles);
    add("Kill-switch activation", s.title, "notified", s.notify.roles);
  }
  for (const act of Object.values(ks?.actions ?? {})) {
    add("Kill-switch action", act.title, "executes", act.execute);
    add("Kill-switch action", act.title, "approves", act.approve);
    add("Kill-switch action", act.title, "notified", act.notify);
  }
  for (const r of ks?.resume ?? []) add("Kill-switch resume", r.title, "must sign", r.who);
  for (const d of Object.values(a?.decisions ?? {})) {
    add("Decision", d.title, "authority", d.authority);
    add("Decision", d.title, "escalation", d.escalation);
    add("Decision", d.title, "consulted", d.consult);
  }
  for (const c of a?.communications ?? []) {
    add("Communication", c.event, `owner (${c.channel})`, [c.owner]);
    add("Communication", c.event, "approves", c.approval);
  }
  const inc = g.incidents;
  for (const [name, s] of Object.entries(inc?.severities ?? {})) {
    if (s.assign) add("Incident ladder", `severity ${name}`, "assigned when it opens", [s.assign]);
    for (const step of s.escalation) add("Incident ladder", `severity ${name}`, `paged at ${offset(durationMs(step.after))}`, step.notify);
    if (s.review?.owner) add("Incident ladder", `severity ${name}`, "owns the post-incident review", [s.review.owner]);
  }
  const commands = Object.entries(inc?.commands ?? {}).filter(([, who]) => who.some((r) => via(r) !== undefined));
  if (commands.length > 0) out.push({ area: "Incident commands", where: commands.map(([cmd]) => `/${cmd}`).join(", "), what: "may run them" });
  for (const [area, r] of Object.entries(inc?.routing ?? {})) {
    add("Incident routing", area, "assigned", [r.assign]);
    add("Incident routing", area, "paged", r.notify);
  }
  for (const rule of g.owners) {
    if (rule.owners.some((o) => o.kind === "role" && o.id === roleId)) out.push({ area: "OWNERS", where: `line ${rule.line}: ${ownersLine(rule)}`, what: "must sign" });
  }
  for (const [id, s] of Object.entries(g.services?.services ?? {})) {
    add("Service", id, "owner", [s.owner]);
    add("Service", id, "secondary", s.secondary);
  }
  return out;
}

/** `charter explain role <id>`: title, responsibility, authority, who holds it at `when`, where it is named. */
export function explainRole(g: Governance, words: readonly string[], when: Date): ExplainResult {
  const name = words.join(" ").trim();
  const ids = Object.keys(g.roles.roles);
  if (name === "") return usage(`which role? one of: ${ids.join(", ")}`);
  const found = findRole(g, name);
  if (!found) return unknown(notFound("role", name, ids, "roles.yml", Object.values(g.roles.roles).map((r) => r.title)).message);
  const [id, role] = found;
  const h = holding(g, id, when);
  const lines = [`# Role: ${role.title} (${id})`, ""];
  if (role.group) lines.push(`- Group: ${role.group}.`);
  if (role.responsibility) lines.push(`- Responsibility: ${role.responsibility}.`);
  if (role.authority?.length) lines.push(`- Authority: ${role.authority.join(", ")}.`);
  if (role.holders?.length) lines.push(`- Holders: ${role.holders.map((p) => `@${p}`).join(", ")}.`);
  if (role.backups?.length) lines.push(`- Backups: ${role.backups.map((p) => `@${p}`).join(", ")}.`);
  if (h.oncall.length > 0) {
    lines.push(`- On call (from ${h.oncall.map((o) => o.tier).join(", ")}) at ${instant(when)}:`);
    for (const o of h.oncall) {
      const who = o.who.length > 0 ? o.who.map((w) => `@${w}`).join(", ") : "nobody";
      const how =
        o.source === "rotation"
          ? `rotation${o.layer ? ` "${o.layer}"` : ""}`
          : o.source === "override"
            ? `override${o.override?.reason ? `: ${o.override.reason}` : ""}`
            : o.source === "fallback"
              ? `outside its hours; fallback ${o.fallbackFrom ?? ""}`.trim()
              : "not covered";
      const span = o.since && o.until ? `, ${instant(o.since)} to ${instant(o.until)}` : "";
      lines.push(`  - ${tierTitle(g, o.tier)}: ${who} (${how}${span})`);
    }
  }
  if (!role.holders?.length && h.oncall.length === 0) lines.push(`- Holders: none.`);
  const contacts = Object.entries(role.contacts ?? {});
  if (contacts.length > 0) lines.push(`- Contacts: ${contacts.map(([k, v]) => `${k}: ${v}`).join("; ")}.`);
  const mentions = roleMentions(g, id);
  lines.push("");
  const raci = mentions.filter((m) => m.area === "RACI");
  const others = mentions.filter((m) => m.area !== "RACI");
  if (mentions.length === 0) lines.push("No gate, RACI activity, ladder, command or OWNERS line names this role.");
  if (raci.length > 0) {
    lines.push("RACI:", "");
    for (const m of raci) lines.push(`- ${m.what}: ${m.where}.`);
    lines.push("");
  }
  if (others.length > 0) {
    lines.push("Where else it is named:", "");
    lines.push(table(["Area", "Where", "What"], others.map((m) => [m.area, m.where, m.what])));
  }
  return done(lines);
}
