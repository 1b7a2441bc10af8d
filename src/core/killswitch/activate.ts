/**
 * `/killswitch activate <scope> <scenario> <reason…>` (D9 §5.1, §5.2): who may activate, whether
 * it takes effect at once (approval none or due within a deadline) or only once approved in
 * advance (a pull request), what is written, and who is told.
 */
import { activationAuthority, type ActivationAuthority } from "../authority/lookup.js";
import { associationWords, hasRepositoryAccess } from "../access/association.js";
import { ANYONE } from "../model/common.js";
import type { Governance } from "../model/governance.js";
import type { LogEntry, Switch } from "../model/state.js";
import { entryId, iso, utcTime } from "./log.js";
import { heldRoles, mentions, peopleFor, roleTitles, rolesWithHolders } from "./people.js";
import { type CommandFacts, refuse, sentence, type CommandPlan } from "./plan.js";
import { resumeHint } from "./resume.js";
import { parseScope, scopeSlug } from "./scope.js";
import { appendLog, editSwitches } from "./state-text.js";
import { inlineUserText } from "../text/untrusted.js";

export interface ActivationInput extends CommandFacts {
  scope: string | undefined;
  scenario: string | undefined;
  reason: string;
}

/** Durations as authority.yml writes them (`24h`, not `1d`); zero is "immediately". */
function notifyTiming(a: ActivationAuthority): string {
  const n = a.notify;
  if (n.inAdvance !== undefined) return n.inAdvanceMs === 0 ? "immediately" : `${n.inAdvance} in advance`;
  if (n.within === undefined || n.withinMs === 0) return "immediately";
  return `within ${n.within}`;
}

/** `ask someone with access to the repository, e.g. On-Call.`: roles by title, nobody mentioned. */
function askSomeoneWithAccess(g: Governance): string {
  const roles = [...new Set(Object.values(g.authority?.kill_switch?.actions ?? {}).flatMap((x) => x.execute).filter((r) => r !== ANYONE))];
  return `ask someone with access to the repository${roles.length > 0 ? `, e.g. ${roleTitles(g, roles, "or")}` : ""}.`;
}

/**
 * Whether `actor` may activate under scenario `a` at `at`, and as whom:
 *
 * - a holder of one of the scenario's roles;
 * - `anyone`: a person with access to the repository (GitHub's `author_association`);
 * - `public`: a person WITHOUT access, only where the scenario opts in (`public: { max, per }`),
 *   only for a scenario that takes effect at once (a pull request would escape the limit), and at
 *   most `max` such activations in the repository within `per`, counted from the log (entries
 *   with `access: public`), so the limit survives restarts and holds across replicas and runs.
 */
export type ActivationStanding = { ok: true; public: false } | { ok: true; public: true; count: number } | { ok: false; message: string };

export function activationStanding(g: Governance, a: ActivationAuthority, input: Pick<CommandFacts, "actor" | "at" | "teams" | "association">): ActivationStanding {
  const { actor, at, teams } = input;
  const named = a.who.filter((r) => r !== ANYONE);
  if (heldRoles(g, named, actor, at, teams).length > 0) return { ok: true, public: false };
  if (!a.who.includes(ANYONE)) {
    return { ok: false, message: `the kill-switch for \`${a.id}\` (${a.title}) may be activated by ${rolesWithHolders(g, a.who, at, teams)}; @${actor} holds none of these roles.` };
  }
  if (hasRepositoryAccess(input.association)) return { ok: true, public: false };
  // A person without access: no @mention of anyone in what they can make Charter say.
  const standing = `@${actor} ${associationWords(input.association)} (GitHub: \`${inlineUserText(input.association ?? "unknown", 40)}\`)`;
  const who = a.who.map((r) => (r === ANYONE ? "anyone with access to this repository" : roleTitles(g, [r]))).join(", ");
  if (!a.public) {
    return {
      ok: false,
      message: `the kill-switch for \`${a.id}\` (${a.title}) may be activated by ${who}; ${standing}. \`anyone\` in governance/authority.yml means people with access; a public repository can open a scenario to everyone with \`public: { max, per }\` (docs/killswitch.md).`,
    };
  }
  const ask = `A${askSomeoneWithAccess(g).slice(1)}`;
  if (a.approval.kind === "in_advance") {
    return { ok: false, message: `\`${a.id}\` (${a.title}) needs approval before activation (a pull request), which people without access to this repository cannot ask for; ${standing}. ${ask}` };
  }
  const from = at.getTime() - a.public.perMs;
  const recent = (g.state.log?.entries ?? [])
    .filter((e) => e.action === "activate" && e.access === "public")
    .map((e) => Date.parse(e.timestamp))
    .filter((t) => Number.isFinite(t) && t > from && t <= at.getTime())
    .sort((x, y) => x - y);
  if (recent.length >= a.public.max) {
    return {
      ok: false,
      message: `people without access to this repository may activate the kill-switch at most ${a.public.max} time${a.public.max === 1 ? "" : "s"} per ${a.public.per} here (authority.yml \`kill_switch.activation.${a.id}.public\`), and ${recent.length} such activation${recent.length === 1 ? " was" : "s were"} made since ${utcTime(new Date(recent[0]!), at)}. ${ask}`,
    };
  }
  return { ok: true, public: true, count: recent.length + 1 };
}

export function planActivation(g: Governance, input: ActivationInput): CommandPlan {
  const scopeParse = parseScope(input.scope);
  if (!scopeParse.ok) return refuse("invalid", sentence(scopeParse.message));
  const scope = scopeParse.scope;
  if (input.scenario === undefined) {
    const known = Object.keys(g.authority?.kill_switch?.activation ?? {});
    return refuse("invalid", `a scenario is required: one of ${known.map((k) => `\`${k}\``).join(", ") || "(authority.yml defines none)"}.`);
  }
  const a = activationAuthority(g, input.scenario);
  if (!a.ok) return refuse("invalid", sentence(a.message));
  const reason = input.reason.trim();
  if (reason === "") return refuse("invalid", "a reason is required: it is recorded in the activation log (D9 §5.2).");
  const { actor, at } = input;
  const standing = activationStanding(g, a, input);
  if (!standing.ok) return refuse("forbidden", standing.message);
  const publicly = standing.public;
  const existing = g.state.killswitch?.switches[scope];
  if (existing?.active && existing.link !== input.link) {
    return refuse("state", `the kill-switch \`${scope}\` is already active since ${existing.since ?? "?"}${existing.by ? ` (by @${existing.by}` : " ("}${existing.scenario ? `, \`${existing.scenario}\`` : ""}). \`/killswitch resume ${scope}\` ends it.`);
  }

  const notifyPeople = peopleFor(g, a.notify.roles, at, { exclude: [actor], teams: input.teams });
  const notifyLine = `Notified (${roleTitles(g, a.notify.roles)}, ${notifyTiming(a)}): ${mentions(notifyPeople)}.`;
  const base: Switch = { active: true, since: iso(at), by: actor, scenario: a.id, reason, ...(a.severity ? { severity: a.severity } : {}) };
  const entryBase: LogEntry = {
    id: entryId("activate", input.cause),
    timestamp: iso(at),
    action: "activate",
    actor,
    scope,
    scenario: a.id,
    severity: a.severity ?? "unspecified",
    reason,
    link: input.link,
    ...(publicly ? { access: "public" as const } : {}),
  };
  const publicLine = standing.public
    ? `\nActivated by a person without access to this repository, under the public opt-in of \`${a.id}\` (public activations in this repository: ${standing.count} of at most ${a.public?.max ?? "?"} per ${a.public?.per ?? "?"}).`
    : "";
  const activate = (sw: Switch) =>
    editSwitches((switches) => {
      const current = switches[scope];
      // Someone else activated this scope meanwhile: theirs stands (the log keeps both requests).
      if (current?.active && current.link !== sw.link) return switches;
      return { ...switches, [scope]: sw };
    });
  const severity = a.severity ? `, severity ${a.severity}` : "";
  const branch = `charter/activate-${scopeSlug(scope)}-${String(input.cause)}`;
  const title = `Kill-switch: activate ${scope} (${a.title})`;
  const commitMessage = `charter: activate kill-switch ${scope} (${a.id}) by ${actor}\n\n${reason}\n${input.link}`;

  if (a.approval.kind === "in_advance") {
    const approval = a.approval;
    const approvers = peopleFor(g, approval.roles, at, { exclude: [actor], teams: input.teams });
    const advance = approval.inAdvanceMs > 0 ? `${approval.inAdvance} in advance` : "before activation";
    const sw: Switch = { ...base, approval: { status: "approved", roles: approval.roles }, notified: notifyPeople, link: input.link };
    const entry: LogEntry = { ...entryBase, approval: `required ${advance}: ${roleTitles(g, approval.roles)} (pull request sign-off)`, notified: [...new Set([...approvers, ...(a.notify.inAdvanceMs !== undefined ? notifyPeople : [])])] };
    const body = [
      `## Activate the kill-switch \`${scope}\`: ${a.title}`,
      "",
      `Requested by @${actor} in #${input.issue} (${input.link}). Reason: ${reason}.`,
      "",
      `\`${a.id}\` needs approval ${advance} (authority.yml \`kill_switch.activation.${a.id}\`, D9 §5.1): the kill-switch is **not active** until this pull request is merged. Merging it activates \`${scope}\`${severity}.`,
      "",
      "### Approval",
      "",
      ...approval.roles.map((r) => `- [ ] ${roleTitles(g, [r])} approves this activation (${advance}): ${mentions(peopleFor(g, [r], at, { teams: input.teams }))}`),
      "",
      a.notify.inAdvanceMs !== undefined ? `Notified (${roleTitles(g, a.notify.roles)}, ${notifyTiming(a)}): ${mentions(notifyPeople)}.` : `On activation Charter notifies ${roleTitles(g, a.notify.roles)} (${notifyTiming(a)}).`,
      "",
      "Changes `governance/state/killswitch.yml` (the switch) and `governance/state/log.yml` (the activation log entry). An edit that activates a switch is gated like any change to `governance/`: see docs/killswitch.md.",
    ].join("\n");
    return {
      ok: true,
      kind: "pull-request",
      pr: { branch, request: { kind: "activate", issue: input.issue, by: actor, scope }, title, body, edits: [activate(sw), appendLog(entry)], commitMessage },
      reply: (pr) =>
        `\`${a.id}\` (${a.title}) needs ${roleTitles(g, approval.roles)}'s approval ${advance}, so the kill-switch \`${scope}\` is **not active yet**. I opened #${pr.number} with the activation: it takes effect when it is merged after sign-off.`,
    };
  }

  let sw: Switch;
  let entry: LogEntry;
  let approvalLine: string;
  if (a.approval.kind === "within") {
    const approval = a.approval;
    const due = new Date(at.getTime() + approval.withinMs);
    const approvers = peopleFor(g, approval.roles, at, { exclude: [actor], teams: input.teams });
    sw = { ...base, approval: { status: "pending", roles: approval.roles, due: iso(due) }, notified: [...new Set([...notifyPeople, ...approvers])], link: input.link };
    entry = { ...entryBase, approval: `pending: ${roleTitles(g, approval.roles)} within ${approval.within} (due ${iso(due)})`, notified: sw.notified };
    approvalLine = `Approval needed from ${roleTitles(g, approval.roles)} within ${approval.within}, by ${utcTime(due, at)}: ${mentions(approvers)}, reply \`/killswitch approve ${scope}\` or \`/killswitch reject ${scope} <reason>\`. The activation stands meanwhile.`;
  } else {
    sw = { ...base, approval: { status: "not-required" }, notified: notifyPeople, link: input.link };
    entry = { ...entryBase, approval: "not required (activate first)", notified: notifyPeople };
    approvalLine = "Approval: none required (activate first).";
  }
  const self = existing?.active && existing.link === input.link ? " (already recorded)" : "";
  const reply = [
    `the kill-switch \`${scope}\` is **active**${self}: ${a.title}${severity}. Logged in \`governance/state/log.yml\`.`,
    "",
    notifyLine,
    approvalLine,
    resumeHint(g, scope, sw, at),
  ].join("\n") + publicLine;
  return {
    ok: true,
    kind: "direct",
    edits: [activate(sw), appendLog(entry)],
    commitMessage,
    reply,
    fallback: {
      branch,
      request: { kind: "activate", issue: input.issue, by: actor, scope },
      title,
      body: [
        `## Activate the kill-switch \`${scope}\`: ${a.title}`,
        "",
        `Requested by @${actor} in #${input.issue} (${input.link}). Reason: ${reason}.`,
        "",
        `Branch protection refused Charter's direct write to the default branch, so this activation is a pull request: **the kill-switch is not active until it is merged.** Merge it now.`,
        "",
        notifyLine,
      ].join("\n"),
      edits: [activate(sw), appendLog(entry)],
      commitMessage,
    },
    fallbackReply: (pr, why) =>
      `branch protection refused Charter's direct write (${why}), so the kill-switch \`${scope}\` is **NOT active yet**. I opened #${pr.number} with the same change: merge it now to activate. ${notifyLine}`,
    ...(publicly
      ? {
          noFallback: (why: string) =>
            `branch protection refused Charter's direct write (${why}), so the kill-switch \`${scope}\` is **NOT active**. A person without access to this repository cannot have Charter open a pull request instead: ${askSomeoneWithAccess(g)}`,
        }
      : {}),
  };
}
