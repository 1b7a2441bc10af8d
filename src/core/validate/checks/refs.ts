import type { Governance } from "../../model/governance.js";
import { memoByObject } from "../../memo.js";
import { OWNER } from "../../model/incidents.js";

/** A path into a YAML document, e.g. `["phases", "gates", 3, "require", 0]`. */
export type YamlPath = (string | number)[];

/**
 * One place where a role (or an on-call tier, `schedule/tier`) is named. Every check about
 * references (unknown roles, unknown tiers, requirements nobody can satisfy) walks this list,
 * so a new place that names roles is added here once.
 */
export interface RoleReference {
  file: string;
  /** Where in the YAML document; OWNERS references carry `line` instead. */
  path?: YamlPath;
  line?: number;
  column?: number;
  /** The role id, tier reference, `anyone`, `everyone` or `assignees` as written. */
  id: string;
  /** Where it is used, in words, e.g. "gate P3 → P4 (require)". */
  context: string;
  /** Extra ids valid here besides roles, tiers, `anyone` and `everyone` (e.g. `assignees`). */
  extra?: readonly string[];
  /** Set when someone holding the role must act for something to happen: "sign off", "decide" … */
  required?: string;
}

export function gateName(gate: { from: string; to: string }): string {
  return `gate ${gate.from} → ${gate.to}`;
}

/** Adds references to a list: one (`ref`), or one per id of a list of ids (`list`, path ending in the index). */
interface Collector {
  ref(r: RoleReference): void;
  list(file: string, base: YamlPath, ids: readonly string[] | undefined, context: string, more?: Partial<RoleReference>): void;
}

/**
 * The references one file's model makes, computed once per parsed model (memoByObject): a push
 * that changes roles.yml does not walk authority.yml again. The lists are shared: never mutated.
 */
function perModel<M extends object>(collect: (m: M, add: Collector) => void): (m: M | undefined) => readonly RoleReference[] {
  const memo = memoByObject<M, readonly RoleReference[]>();
  const build = (m: M) => {
    const out: RoleReference[] = [];
    collect(m, {
      ref: (r) => out.push(r),
      list: (file, base, ids, context, more = {}) => (ids ?? []).forEach((id, i) => out.push({ file, path: [...base, i], id, context, ...more })),
    });
    return out;
  };
  return (m) => (m ? memo(m, () => build(m)) : []);
}

/** Every role and tier reference in the model, in file order. */
export function roleReferences(g: Governance): RoleReference[] {
  return [...rolesRefs(g.roles), ...ownersRefs(g.owners), ...authorityRefs(g.authority), ...incidentsRefs(g.incidents), ...notifyRefs(g.notify), ...servicesRefs(g.services), ...deploymentsRefs(g.deployments)];
}

const rolesRefs = perModel<Governance["roles"]>((roles, { ref, list }) => {
  for (const [id, role] of Object.entries(roles.roles)) {
    if (role.oncall === undefined) continue;
    if (Array.isArray(role.oncall)) list("roles.yml", ["roles", id, "oncall"], role.oncall, `role ${id} (oncall)`);
    else ref({ file: "roles.yml", path: ["roles", id, "oncall"], id: role.oncall, context: `role ${id} (oncall)` });
  }
});

const ownersRefs = perModel<Governance["owners"]>((owners, { ref }) => {
  for (const rule of owners) {
    for (const owner of rule.owners) {
      if (owner.kind !== "role") continue;
      ref({ file: "OWNERS", line: rule.line, column: 1, id: owner.id, context: `OWNERS rule ${rule.pattern}`, required: "sign off changes to these paths" });
    }
  }
});

const authorityRefs = perModel<NonNullable<Governance["authority"]>>((a, { ref, list }) => {
  list("authority.yml", ["raci", "columns"], a.raci?.columns, "RACI columns");
  for (const [id, act] of Object.entries(a.raci?.activities ?? {})) {
    for (const letter of ["R", "A", "C", "I"] as const) list("authority.yml", ["raci", "activities", id, letter], act[letter], `RACI activity ${id} (${letter})`);
  }
  (a.phases?.gates ?? []).forEach((gate, gi) => {
    const base: YamlPath = ["phases", "gates", gi];
    list("authority.yml", [...base, "require"], gate.require, `${gateName(gate)} (require)`, { required: "sign off" });
    if (Array.isArray(gate.veto)) list("authority.yml", [...base, "veto"], gate.veto, `${gateName(gate)} (veto)`);
    (gate.confirmations ?? []).forEach((c, ci) => {
      if (typeof c !== "string" && c.role !== undefined) ref({ file: "authority.yml", path: [...base, "confirmations", ci, "role"], id: c.role, context: `${gateName(gate)} (confirmations)` });
    });
  });
  for (const [id, t] of Object.entries(a.rollback?.types ?? {})) {
    const base: YamlPath = ["rollback", "types", id];
    list("authority.yml", [...base, "decide"], t.decide, `rollback ${id} (decide)`, { required: "decide" });
    list("authority.yml", [...base, "approve"], t.approve, `rollback ${id} (approve)`, { required: "approve" });
    list("authority.yml", [...base, "consult"], t.consult, `rollback ${id} (consult)`);
    list("authority.yml", [...base, "inform"], t.inform, `rollback ${id} (inform)`);
  }
  const ks = a.kill_switch;
  if (ks) {
    for (const [id, act] of Object.entries(ks.actions ?? {})) {
      for (const key of ["execute", "approve", "notify"] as const) list("authority.yml", ["kill_switch", "actions", id, key], act[key], `kill-switch action ${id} (${key})`);
    }
    for (const [id, s] of Object.entries(ks.activation)) {
      const base: YamlPath = ["kill_switch", "activation", id];
      list("authority.yml", [...base, "who"], s.who, `kill-switch scenario ${id} (who)`, { required: "activate" });
      if (s.approval !== "none") list("authority.yml", [...base, "approval", "roles"], s.approval.roles, `kill-switch scenario ${id} (approval)`, { required: "approve" });
      list("authority.yml", [...base, "notify", "roles"], s.notify.roles, `kill-switch scenario ${id} (notify)`);
    }
    ks.resume.forEach((rule, ri) => list("authority.yml", ["kill_switch", "resume", ri, "who"], rule.who, `resume rule ${ri + 1} "${rule.title}" (who)`, { required: "sign the resume" }));
  }
  if (a.break_glass) {
    const bg = a.break_glass;
    list("authority.yml", ["break_glass", "who"], bg.who, "break_glass (who)", { required: "break the glass" });
    list("authority.yml", ["break_glass", "review", "roles"], bg.review.roles, "break_glass review (roles)", { required: "sign the break-glass review" });
    (bg.review.escalation ?? []).forEach((step, si) => list("authority.yml", ["break_glass", "review", "escalation", si, "notify"], step.notify, `break_glass review escalation step ${si + 1} (notify)`));
  }
  if (a.swaps) {
    list("authority.yml", ["swaps", "on_behalf"], a.swaps.on_behalf, "swaps (on_behalf)");
    list("authority.yml", ["swaps", "urgent"], a.swaps.urgent, "swaps (urgent)");
  }
  for (const [id, d] of Object.entries(a.decisions ?? {})) {
    for (const key of ["authority", "escalation", "consult"] as const) list("authority.yml", ["decisions", id, key], d[key], `decision ${id} (${key})`);
  }
  (a.communications ?? []).forEach((c, ci) => {
    ref({ file: "authority.yml", path: ["communications", ci, "owner"], id: c.owner, context: `communication "${c.event}" (owner)` });
    list("authority.yml", ["communications", ci, "approval"], c.approval, `communication "${c.event}" (approval)`);
  });
});

const incidentsRefs = perModel<NonNullable<Governance["incidents"]>>((inc, { ref, list }) => {
  for (const [name, sev] of Object.entries(inc.severities)) {
    const base: YamlPath = ["severities", name];
    if (sev.assign !== undefined) ref({ file: "incidents.yml", path: [...base, "assign"], id: sev.assign, context: `severity ${name} (assign)` });
    if (sev.backup !== undefined) ref({ file: "incidents.yml", path: [...base, "backup"], id: sev.backup, context: `severity ${name} (backup)` });
    list("incidents.yml", [...base, "remind"], sev.remind, `severity ${name} (remind)`, { extra: [OWNER] });
    sev.escalation.forEach((step, si) => list("incidents.yml", [...base, "escalation", si, "notify"], step.notify, `severity ${name} escalation step ${si + 1}`));
    if (sev.review?.owner !== undefined) ref({ file: "incidents.yml", path: [...base, "review", "owner"], id: sev.review.owner, context: `severity ${name} (review owner)`, required: "own the post-incident review" });
  }
  for (const [area, r] of Object.entries(inc.routing ?? {})) {
    ref({ file: "incidents.yml", path: ["routing", area, "assign"], id: r.assign, context: `routing ${area} (assign)` });
    if (r.backup !== undefined) ref({ file: "incidents.yml", path: ["routing", area, "backup"], id: r.backup, context: `routing ${area} (backup)` });
    list("incidents.yml", ["routing", area, "notify"], r.notify, `routing ${area} (notify)`);
  }
  for (const [cmd, who] of Object.entries(inc.commands ?? {})) list("incidents.yml", ["commands", cmd], who, `command /${cmd}`, { extra: ["assignees"] });
});

const notifyRefs = perModel<NonNullable<Governance["notify"]>>((notify, { list }) => {
  (notify.routes ?? []).forEach((r, ri) => list("notify.yml", ["routes", ri, "roles"], r.roles, `notify route ${ri + 1} (roles)`));
});

const servicesRefs = perModel<NonNullable<Governance["services"]>>((services, { ref, list }) => {
  for (const [id, s] of Object.entries(services.services ?? {})) {
    ref({ file: "services.yml", path: ["services", id, "owner"], id: s.owner, context: `service ${id} (owner)` });
    list("services.yml", ["services", id, "secondary"], s.secondary, `service ${id} (secondary)`);
    if (s.oncall !== undefined) ref({ file: "services.yml", path: ["services", id, "oncall"], id: s.oncall, context: `service ${id} (oncall)` });
  }
});

const deploymentsRefs = perModel<NonNullable<Governance["deployments"]>>((deployments, { ref, list }) => {
  for (const [id, d] of Object.entries(deployments.deployments ?? {})) {
    const base = ["deployments", id];
    ref({ file: "deployments.yml", path: [...base, "lead"], id: d.lead, context: `deployment ${id} (lead)`, required: "post status updates" });
    list("deployments.yml", [...base, "go_no_go", "decide"], d.go_no_go.decide, `deployment ${id} (go/no-go)`, { required: "sign go" });
    list("deployments.yml", [...base, "updates", "by"], d.updates.by, `deployment ${id} (updates)`);
    d.stages.forEach((st, si) =>
      st.items.forEach((item, ii) => ref({ file: "deployments.yml", path: [...base, "stages", si, "items", ii, "owner"], id: item.owner, context: `deployment ${id} item ${item.id} (owner)`, required: "tick it" })),
    );
  }
});

/** `schedule/tier` references are written with a slash; role ids never contain one. */
export function isTierRef(id: string): boolean {
  return id.includes("/");
}

/** "a, b, c" for hints, cut short for big models. */
export function listForHint(items: readonly string[], max = 12): string {
  return items.length <= max ? items.join(", ") : `${items.slice(0, max).join(", ")} … (${items.length} in all)`;
}
