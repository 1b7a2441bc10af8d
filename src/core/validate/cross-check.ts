import { ANYONE, EVERYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { Problem } from "./problem.js";
import { didYouMean } from "./suggest.js";

/**
 * Checks across files that no schema can express. Each returns Problems located by path.
 * (Extended in checks/*.ts; this entry point runs them all.)
 */
export function crossCheck(g: Governance): Problem[] {
  return [...unknownRoleReferences(g)];
}

/** Every role id used anywhere must exist in roles.yml. */
export function unknownRoleReferences(g: Governance): Problem[] {
  const known = new Set(Object.keys(g.roles.roles));
  const problems: Problem[] = [];
  const check = (file: string, path: (string | number)[], id: string, extra: readonly string[] = []) => {
    if (known.has(id) || id === ANYONE || id === EVERYONE || extra.includes(id) || id.includes("/")) return;
    problems.push({
      file,
      path,
      message: `unknown role \`${id}\``,
      hint: didYouMean(id, known) ?? `define it in roles.yml or use one of: ${[...known].join(", ")}`,
    });
  };
  for (const rule of g.owners) {
    for (const owner of rule.owners) {
      if (owner.kind === "role" && !known.has(owner.id)) {
        problems.push({ file: "OWNERS", line: rule.line, column: 1, message: `unknown role \`${owner.id}\` (pattern ${rule.pattern})`, hint: didYouMean(owner.id, known) ?? "define it in roles.yml, or write @login for a user" });
      }
    }
  }
  const a = g.authority;
  if (a) {
    for (const [id, act] of Object.entries(a.raci?.activities ?? {})) {
      for (const letter of ["R", "A", "C", "I"] as const) (act[letter] ?? []).forEach((r, i) => check("authority.yml", ["raci", "activities", id, letter, i], r));
    }
    (a.raci?.columns ?? []).forEach((r, i) => check("authority.yml", ["raci", "columns", i], r));
    (a.phases?.gates ?? []).forEach((gate, gi) => {
      gate.require.forEach((r, i) => check("authority.yml", ["phases", "gates", gi, "require", i], r));
      if (Array.isArray(gate.veto)) gate.veto.forEach((r, i) => check("authority.yml", ["phases", "gates", gi, "veto", i], r));
    });
    for (const [id, t] of Object.entries(a.rollback?.types ?? {})) {
      for (const key of ["decide", "approve", "consult", "inform"] as const) (t[key] ?? []).forEach((r, i) => check("authority.yml", ["rollback", "types", id, key, i], r));
    }
    const ks = a.kill_switch;
    if (ks) {
      for (const [id, s] of Object.entries(ks.activation)) {
        s.who.forEach((r, i) => check("authority.yml", ["kill_switch", "activation", id, "who", i], r));
        if (s.approval !== "none") s.approval.roles.forEach((r, i) => check("authority.yml", ["kill_switch", "activation", id, "approval", "roles", i], r));
        s.notify.roles.forEach((r, i) => check("authority.yml", ["kill_switch", "activation", id, "notify", "roles", i], r));
      }
      ks.resume.forEach((rule, ri) => rule.who.forEach((r, i) => check("authority.yml", ["kill_switch", "resume", ri, "who", i], r)));
      for (const [id, act] of Object.entries(ks.actions ?? {})) {
        for (const key of ["execute", "approve", "notify"] as const) (act[key] ?? []).forEach((r, i) => check("authority.yml", ["kill_switch", "actions", id, key, i], r));
      }
    }
    for (const [id, d] of Object.entries(a.decisions ?? {})) {
      for (const key of ["authority", "escalation", "consult"] as const) (d[key] ?? []).forEach((r, i) => check("authority.yml", ["decisions", id, key, i], r));
    }
    (a.communications ?? []).forEach((c, ci) => {
      check("authority.yml", ["communications", ci, "owner"], c.owner);
      (c.approval ?? []).forEach((r, i) => check("authority.yml", ["communications", ci, "approval", i], r));
    });
  }
  const inc = g.incidents;
  if (inc) {
    for (const [name, sev] of Object.entries(inc.severities)) {
      sev.escalation.forEach((step, si) => step.notify.forEach((r, i) => check("incidents.yml", ["severities", name, "escalation", si, "notify", i], r)));
      if (sev.assign) check("incidents.yml", ["severities", name, "assign"], sev.assign);
      if (sev.review?.owner) check("incidents.yml", ["severities", name, "review", "owner"], sev.review.owner);
    }
    for (const [cmd, who] of Object.entries(inc.commands ?? {})) who.forEach((r, i) => check("incidents.yml", ["commands", cmd, i], r, ["assignees"]));
    for (const [area, r] of Object.entries(inc.routing ?? {})) {
      check("incidents.yml", ["routing", area, "assign"], r.assign);
      (r.notify ?? []).forEach((x, i) => check("incidents.yml", ["routing", area, "notify", i], x));
    }
  }
  for (const [id, s] of Object.entries(g.services?.services ?? {})) {
    check("services.yml", ["services", id, "owner"], s.owner);
    (s.secondary ?? []).forEach((r, i) => check("services.yml", ["services", id, "secondary", i], r));
  }
  return problems;
}
