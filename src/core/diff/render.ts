/**
 * The words of an impact report: what a governance change does, for the pull request comment
 * (Markdown) and `charter diff` (text, or `--markdown`). Every text that comes from governance
 * files (titles, reasons, paths, logins, the validator's messages, which quote the files) goes
 * through the neutraliser in Markdown: no @mention notifies anyone, no HTML, no table or line
 * breaks out. People are named quietly, never @-mentioned. Lists are capped, saying how many more.
 */
import { cellIn, type Style } from "../drill/format.js";
import { incidentZone } from "../incidents/oncall-report.js";
import { formatAt } from "../incidents/time.js";
import type { Governance } from "../model/governance.js";
import type { Owner } from "../model/owners.js";
import type { HeldAction, ImpactReport, SubjectChange } from "./index.js";
import type { Subject, Way } from "./people.js";
import type { Unsatisfiable } from "./requirements.js";

export interface RenderContext {
  base: Governance;
  head?: Governance;
  style: Style;
}

/** Caps on what is listed (the rest is counted). */
export const LIMITS = { subjects: 40, verbs: 14, objects: 12, items: 25, problems: 30, oncall: 15 } as const;

type Text = (s: string, max?: number) => string;

function roleName(g: Governance | undefined, id: string, t: Text, code: (s: string) => string): string {
  const title = g?.roles.roles[id]?.title;
  return title && title !== id ? `${t(title, 80)} (${code(id)})` : code(id);
}

function more(n: number, what: string): string {
  return n > 0 ? `… and ${n} more ${what}` : "";
}

function listed(items: readonly string[], max: number, what: string): string {
  const shown = items.slice(0, max);
  const rest = items.length - shown.length;
  return rest > 0 ? `${shown.join(", ")}, ${more(rest, what)}` : shown.join(", ");
}

export function renderImpact(report: ImpactReport, ctx: RenderContext): string {
  const md = ctx.style === "markdown";
  const t: Text = (s, max = 200) => cellIn(ctx.style, s, max);
  // Logins, ids and patterns: in code spans in Markdown (quiet, literal); as written in text.
  const code = (s: string) => (md ? `\`${t(s, 120).replace(/`/g, "'")}\`` : t(s, 120));
  const zone = incidentZone(ctx.base);
  const when = (iso: string) => formatAt(Date.parse(iso), zone);
  const h = (title: string) => (md ? `### ${title}` : `== ${title} ==`);
  const out: string[] = [];

  const head = report.head;
  if (!head.valid) {
    out.push(md ? `**⚠️ The proposed governance does not validate** (${head.problems.length} problem${head.problems.length === 1 ? "" : "s"}).` : `The proposed governance does not validate (${head.problems.length} problem${head.problems.length === 1 ? "" : "s"}).`);
    out.push("Merged as it is, Charter's sign-off check would fail closed on every pull request and no command would be carried out until the files are fixed:", "");
    for (const p of head.problems.slice(0, LIMITS.problems)) out.push(`- ${t(p, 600)}`);
    if (head.problems.length > LIMITS.problems) out.push(`- ${more(head.problems.length - LIMITS.problems, "problems (run `charter validate`)")}`);
    out.push("");
    if (!head.compared) {
      out.push("Charter cannot say what the change does until every file loads (it passes its schema).");
      return out.join("\n");
    }
    out.push("What the proposed files would change, were they valid:", "");
  }

  if (report.unchanged) {
    out.push("Nothing Charter acts on changes: no authority, owner, requirement, RACI accountability or on-call assignment moves (comments, documentary keys and layout may differ).");
    if (report.oncall.skipped) out.push("", `On-call was not simulated: ${t(report.oncall.skipped, 300)}.`);
    return out.join("\n");
  }

  const reqWords = (u: Unsatisfiable, g: Governance | undefined): string => {
    const raw = u.requirement.what;
    const what = t(raw.charAt(0).toUpperCase() + raw.slice(1), 200);
    const subject = md ? `**${what}**` : what;
    const locks = u.requirement.locksGovernance ? "; this OWNERS line decides who may change governance/ itself, so no later pull request could undo it" : "";
    if (u.empty.length > 0) {
      const roles = u.empty.map((id) => roleName(g, id, t, code));
      const verb = u.requirement.need === "any" ? "act for" : "sign for";
      return `${subject}: nobody could ${verb} ${roles.join(" or ")}, which would have no holder, no backup and nobody on call for it${locks}`;
    }
    const tf = u.tooFew!;
    return `${subject}: it needs ${tf.needed} different people (${u.requirement.roles.map((id) => roleName(g, id, t, code)).join(", ")}), but at most ${tf.most} different people could sign for them (${listed(tf.people.map(code), LIMITS.objects, "people")})${locks}`;
  };
  if (report.impossible.added.length > 0) {
    out.push(h("🚫 Becomes impossible"), "");
    for (const u of report.impossible.added.slice(0, LIMITS.items)) out.push(`- ${reqWords(u, ctx.head)}.`);
    if (report.impossible.added.length > LIMITS.items) out.push(`- ${more(report.impossible.added.length - LIMITS.items, "requirements")}`);
    out.push("");
  }
  if (report.impossible.cleared.length > 0) {
    out.push(h("✅ Possible again"), "");
    for (const u of report.impossible.cleared.slice(0, LIMITS.items)) out.push(`- ${t(u.requirement.what, 200)} can be satisfied again.`);
    out.push("");
  }

  if (report.authoritySkipped) out.push(h("Who gains and who loses authority"), "", `Not compared: ${t(report.authoritySkipped, 300)}.`, "");
  if (report.authority.length > 0) {
    out.push(h("Who gains and who loses authority"), "");
    let blocks = 0;
    let hidden = 0;
    for (const change of report.authority) {
      for (const [direction, items, g] of [["gains", change.gains, ctx.head], ["loses", change.losses, ctx.base]] as const) {
        if (items.length === 0) continue;
        for (const [way, held] of byWay(items)) {
          if (blocks >= LIMITS.subjects) {
            hidden++;
            continue;
          }
          blocks++;
          out.push(`- ${subjectWords(change.subject, code, md)} ${direction}${wayWords(way, g, t, code)}:`);
          out.push(...verbLines(held, t));
        }
      }
    }
    if (hidden > 0) out.push(`- ${more(hidden, "people and ways (run `charter diff` for all of them)")}`);
    out.push("");
  }

  if (report.paths.length > 0) {
    out.push(h("Paths and their owners"), "");
    const owners = (list: readonly Owner[], g: Governance | undefined) =>
      list.length === 0 ? "nobody" : list.map((o) => (o.kind === "role" ? roleName(g, o.id, t, code) : o.kind === "user" ? code(o.login) : `${code(o.team)} (team)`)).join(" and ");
    for (const p of report.paths.slice(0, LIMITS.items)) {
      const line = (x: { line?: number }) => (x.line !== undefined ? ` (OWNERS line ${x.line})` : "");
      if (p.kind === "loses-owner") out.push(`- ${code(p.pattern)} loses its owner: ${owners(p.before.owners, ctx.base)} must sign changes there now${line(p.before)}; merged, nobody would have to${p.after.line !== undefined ? ` (OWNERS line ${p.after.line} names no owner)` : ""}.`);
      else if (p.kind === "gains-owner") out.push(`- ${code(p.pattern)} gains an owner: ${owners(p.after.owners, ctx.head)} would have to sign changes there${line(p.after)}.`);
      else out.push(`- ${code(p.pattern)} changes owner: ${owners(p.before.owners, ctx.base)}${line(p.before)} → ${owners(p.after.owners, ctx.head)}${line(p.after)}.`);
    }
    if (report.paths.length > LIMITS.items) out.push(`- ${more(report.paths.length - LIMITS.items, "patterns")}`);
    out.push("");
  }
  if (report.pathsSkipped) out.push(...(report.paths.length > 0 ? [] : [h("Paths and their owners"), ""]), `Not compared: ${t(report.pathsSkipped, 200)}.`, "");

  if (report.raci.length > 0) {
    out.push(h("RACI activities left without an Accountable role"), "");
    for (const r of report.raci.slice(0, LIMITS.items)) {
      const name = `${t(r.title, 100)} (${code(r.id)})`;
      const was = r.isNew ? "a new activity" : `Accountable now: ${r.before.map((id) => roleName(ctx.base, id, t, code)).join(", ")}`;
      out.push(r.why === "no-accountable" ? `- ${name}: no Accountable role (${was}).` : `- ${name}: its Accountable role ${r.after.map((id) => roleName(ctx.head, id, t, code)).join(", ")} would have nobody to act for it (${was}).`);
    }
    out.push("");
  }

  const w = report.warnings;
  const oc = report.oncall;
  if (w.added.length + w.cleared.length + oc.changes.length > 0 || oc.skipped) {
    out.push(h(`On call, ${when(report.window.from)} to ${when(report.window.until)}`), "");
    if (oc.skipped) out.push(`Not simulated: ${t(oc.skipped, 300)}.`, "");
    if (w.added.length > 0) {
      out.push(md ? "**New warnings** (gaps, one person in two tiers, nobody to page, …):" : "New warnings (gaps, one person in two tiers, nobody to page, …):", "");
      for (const x of w.added.slice(0, LIMITS.items)) out.push(`- ${t(x.message, 600)}`);
      if (w.added.length > LIMITS.items) out.push(`- ${more(w.added.length - LIMITS.items, "warnings")}`);
      out.push("");
    }
    if (w.cleared.length > 0) {
      out.push(md ? "**Warnings it clears:**" : "Warnings it clears:", "");
      for (const x of w.cleared.slice(0, LIMITS.items)) out.push(`- ${t(x.message, 600)}`);
      if (w.cleared.length > LIMITS.items) out.push(`- ${more(w.cleared.length - LIMITS.items, "warnings")}`);
      out.push("");
    }
    if (oc.changes.length > 0) {
      out.push(md ? "**Who would be on call instead:**" : "Who would be on call instead:", "");
      const people = (list: readonly string[]) => (list.length === 0 ? "nobody" : list.map(code).join(", "));
      for (const c of oc.changes.slice(0, LIMITS.oncall)) {
        const cover = c.covering ? ` (covering for ${code(c.covering.rostered)}: ${t(c.covering.reason, 100)})` : "";
        out.push(`- ${code(c.tier)}, ${when(c.from)} to ${when(c.until)}: ${people(c.before)} → ${people(c.after)}${cover}`);
      }
      const hidden = oc.changes.length - Math.min(oc.changes.length, LIMITS.oncall) + oc.more;
      if (hidden > 0) out.push(`- ${more(hidden, "stretches of time")}`);
      out.push("");
    }
  }

  if (report.roles.length > 0) {
    out.push(h("Roles"), "");
    const who = (list: readonly string[]) => (list.length === 0 ? "none" : listed(list.map(code), LIMITS.objects, "people"));
    for (const r of report.roles.slice(0, LIMITS.items)) {
      if (r.kind === "added") out.push(`- New role ${roleName(ctx.head, r.id, t, code)}: holders ${who(r.holders.after)}${r.backups.after.length ? `, backups ${who(r.backups.after)}` : ""}${r.oncall.after.length ? `, on call for ${who(r.oncall.after)}` : ""}.`);
      else if (r.kind === "removed") out.push(`- Role ${roleName(ctx.base, r.id, t, code)} is removed (holders ${who(r.holders.removed)}${r.backups.removed.length ? `, backups ${who(r.backups.removed)}` : ""}).`);
      else {
        const parts: string[] = [];
        if (r.title.before !== r.title.after) parts.push(`title ${t(r.title.before ?? "", 80)} → ${t(r.title.after ?? "", 80)}`);
        for (const [name, d] of [["holders", r.holders], ["backups", r.backups], ["on-call tiers", r.oncall]] as const) {
          if (d.added.length + d.removed.length === 0) continue;
          const delta = [...d.added.map((x) => `+${code(x)}`), ...d.removed.map((x) => `−${code(x)}`)].join(" ");
          parts.push(`${name} ${delta} (now ${who(d.after)})`);
        }
        const head = ctx.head?.roles.roles[r.id];
        const left = head && (head.holders?.length ?? 0) === 0 && head.oncall === undefined && r.holders.removed.length > 0;
        if (left) parts.push((head.backups?.length ?? 0) > 0 ? `no holder left: only its backups ${who(head.backups!)} act for it, and pages to it go to them` : "nobody left to act for it");
        out.push(`- ${roleName(ctx.head, r.id, t, code)}: ${parts.join("; ")}.`);
      }
    }
    if (report.roles.length > LIMITS.items) out.push(`- ${more(report.roles.length - LIMITS.items, "roles")}`);
    out.push("");
  }
  while (out.at(-1) === "") out.pop();
  return out.join("\n");
}

const WAY_ORDER: Record<Way["as"], number> = { holder: 0, backup: 1, "on-call": 2, tier: 3, named: 4, "any-role": 5, anyone: 6, assignees: 7 };

/** Actions grouped by the first way each is held (so one line says "as a holder of X"). */
function byWay(items: readonly HeldAction[]): [Way, HeldAction[]][] {
  const groups = new Map<string, [Way, HeldAction[]]>();
  for (const item of items) {
    const way = [...item.ways].sort((a, b) => WAY_ORDER[a.as] - WAY_ORDER[b.as] || (a.role ?? "").localeCompare(b.role ?? "") || (a.tier ?? "").localeCompare(b.tier ?? ""))[0]!;
    const key = `${way.as}|${way.role ?? ""}|${way.tier ?? ""}`;
    const g = groups.get(key) ?? [way, []];
    g[1].push(item);
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => WAY_ORDER[a[0].as] - WAY_ORDER[b[0].as]);
}

function subjectWords(s: Subject, code: (x: string) => string, md: boolean): string {
  const strong = (x: string) => (md ? `**${x}**` : x);
  switch (s.kind) {
    case "person":
      return strong(code(s.login));
    case "team":
      return `members of the team ${strong(code(s.team))}`;
    case "anyone":
      return strong("anyone with access to the repository");
    case "assignees":
      return strong("the people Charter assigns to an incident");
  }
}

function wayWords(w: Way, g: Governance | undefined, t: Text, code: (s: string) => string): string {
  const role = (id: string | undefined) => (id ? roleName(g, id, t, code) : "");
  switch (w.as) {
    case "holder":
      return `, as a holder of ${role(w.role)}`;
    case "backup":
      return `, as a backup of ${role(w.role)}`;
    case "on-call":
      return `, when on call for ${code(w.tier ?? "")} (${role(w.role)})`;
    case "tier":
      return `, when on call for ${code(w.tier ?? "")}`;
    case "named":
      return ", named in OWNERS";
    case "any-role":
      return `, as a holder of any role (${code("everyone")})`;
    default:
      return "";
  }
}

/** One line per verb: `  - sign the phase gate: P0 → P1, GA (P3 → P4)`. */
function verbLines(items: readonly HeldAction[], t: Text): string[] {
  const byVerb = new Map<string, string[]>();
  for (const { action } of items) {
    const list = byVerb.get(action.verb) ?? [];
    if (action.object && !list.includes(action.object)) list.push(action.object);
    byVerb.set(action.verb, list);
  }
  const lines: string[] = [];
  let i = 0;
  for (const [verb, objects] of byVerb) {
    if (i++ >= LIMITS.verbs) break;
    lines.push(objects.length === 0 ? `  - ${verb}` : `  - ${verb}: ${listed(objects.map((o) => t(o, 120)), LIMITS.objects, "")}`.replace(/ more $/, " more"));
  }
  if (byVerb.size > LIMITS.verbs) lines.push(`  - ${more(byVerb.size - LIMITS.verbs, "kinds of authority")}`);
  return lines;
}

export type { SubjectChange };
