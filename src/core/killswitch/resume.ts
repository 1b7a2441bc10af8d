/**
 * `/killswitch resume [<scope>] [--verified <step> …]` (D9 §5.3): the resume authority follows
 * from how long the switch has been active and why. One role that the commenter holds, with
 * every verification step confirmed: resume at once. Anything else: a resume pull request whose
 * body carries the verification checklist, gated by the sign-off check.
 */
import { activationAuthority, resumeAuthority, type ResumeFacts } from "../authority/lookup.js";
import { formatDuration } from "../duration.js";
import type { ResumeRule } from "../model/authority.js";
import type { Governance } from "../model/governance.js";
import type { LogEntry, Switch } from "../model/state.js";
import { closest } from "../validate/suggest.js";
import { entryId, iso, utcTime } from "./log.js";
import { heldRoles, mentions, peopleFor, roleTitles, rolesWithHolders } from "./people.js";
import { type CommandFacts, refuse, sentence, type CommandPlan, type PullRequestSpec } from "./plan.js";
import { activeSwitches, GLOBAL, parseScope, scopeSlug } from "./scope.js";
import { appendLog, editSwitches, type StateEdit } from "./state-text.js";
import { trimEndOf } from "../text/scan.js";

const dur = (ms: number) => formatDuration(ms);

/**
 * The facts the resume table asks about, for a switch at an instant: the same facts the sign-off
 * check uses for a resume pull request (a rollback counts through the switch's `rolled_back`,
 * which Charter sets when a rollback takes effect while the switch is active).
 */
export function resumeFactsFor(g: Governance, scope: string, sw: Switch, at: Date): ResumeFacts {
  const since = sw.since ? Date.parse(sw.since) : NaN;
  // No usable `since`: treat the pause as long (the stricter authority), never as short.
  const pausedMs = Number.isFinite(since) ? Math.max(0, at.getTime() - since) : Number.MAX_SAFE_INTEGER;
  const scenario = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
  return {
    pausedMs,
    dataIntegrity: scenario?.ok ? scenario.dataIntegrity : false,
    afterRollback: sw.rolled_back === true,
    scope,
  };
}

/** One line on how to resume a switch that was just activated. */
export function resumeHint(g: Governance, scope: string, sw: Switch, at: Date): string {
  const r = resumeAuthority(g, resumeFactsFor(g, scope, sw, at));
  if (!r.ok) return `Resume: ${r.message}.`;
  const flags = r.rule.verify.map((v) => ` --verified "${v}"`).join("");
  return `To resume: \`/killswitch resume ${scope}${flags}\` (now ${roleTitles(g, r.rule.who)}: ${r.rule.title}; the resume authority depends on how long it stays active, authority.yml \`kill_switch.resume\`).`;
}

// ------------------------------------------------------------------------------------ arguments

export interface ResumeArgs {
  scope?: string;
  verified: string[];
}

/** Words, keeping "quoted phrases" together. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|“([^”]*)”|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) out.push(m[1] ?? m[2] ?? m[3] ?? m[4] ?? "");
  return out;
}

/** `[<scope>] [--verified <step words> …]`: each --verified takes the words up to the next flag. */
export function parseResumeArgs(text: string): { ok: true; args: ResumeArgs } | { ok: false; message: string } {
  const args: ResumeArgs = { verified: [] };
  let current: string[] | undefined;
  const flush = () => {
    if (current === undefined) return true;
    const step = current.join(" ").trim();
    current = undefined;
    if (step === "") return false;
    args.verified.push(step);
    return true;
  };
  for (const t of tokens(text)) {
    const flag = /^--([a-z-]+)(?:=(.*))?$/i.exec(t);
    if (flag) {
      if (!flush()) return { ok: false, message: "`--verified` needs the step it confirms, e.g. `--verified \"Test upload passes\"`" };
      if (flag[1]!.toLowerCase() !== "verified") return { ok: false, message: `unknown option \`--${flag[1]}\` (only \`--verified <step>\`)` };
      current = flag[2] !== undefined && flag[2] !== "" ? [flag[2]] : [];
      continue;
    }
    if (current !== undefined) current.push(t);
    else if (args.scope === undefined) args.scope = t;
    else return { ok: false, message: `unexpected \`${t}\`: give the scope once, then \`--verified <step>\` for each verification step` };
  }
  if (!flush()) return { ok: false, message: "`--verified` needs the step it confirms, e.g. `--verified \"Test upload passes\"`" };
  return { ok: true, args };
}

const norm = (s: string) => trimEndOf(s.toLowerCase().replace(/\s+/g, " "), ".!").trim();

/** Match confirmed steps to the rule's (case-insensitive); unknown ones come back separately. */
export function matchVerified(rule: ResumeRule, given: readonly string[]): { verified: string[]; missing: string[]; unknown: string[] } {
  const verified: string[] = [];
  const unknown: string[] = [];
  for (const g of given) {
    const step = rule.verify.find((v) => norm(v) === norm(g));
    if (step === undefined) unknown.push(g);
    else if (!verified.includes(step)) verified.push(step);
  }
  return { verified, missing: rule.verify.filter((v) => !verified.includes(v)), unknown };
}

// ------------------------------------------------------------------------------------ plan

export interface ResumeInput extends CommandFacts {
  args: ResumeArgs;
}

/** Set the switch inactive, unless it was resumed or re-activated by someone else meanwhile. */
export function resumeEdit(scope: string, sw: Switch): StateEdit {
  return editSwitches((switches) => {
    const current = switches[scope];
    if (!current?.active || current.since !== sw.since || current.link !== sw.link) return switches;
    return { ...switches, [scope]: { active: false } };
  });
}

export function planResume(g: Governance, input: ResumeInput): CommandPlan {
  const { actor, at } = input;
  const state = g.state.killswitch;
  const active = activeSwitches(state);
  let scope: string;
  if (input.args.scope !== undefined) {
    const p = parseScope(input.args.scope);
    if (!p.ok) return refuse("invalid", sentence(p.message));
    scope = p.scope;
  } else if (active.length === 1) {
    scope = active[0]![0];
  } else if (active.length === 0) {
    return refuse("state", "no kill-switch is active, so there is nothing to resume.");
  } else {
    return refuse("invalid", `several kill-switches are active (${active.map(([s]) => `\`${s}\``).join(", ")}): say which, e.g. \`/killswitch resume ${active[0]![0]}\`.`);
  }
  const sw = state?.switches[scope];
  if (!sw?.active) {
    return refuse("state", `the kill-switch \`${scope}\` is not active${active.length > 0 ? ` (active: ${active.map(([s]) => `\`${s}\``).join(", ")})` : ""}, so there is nothing to resume.`);
  }
  const facts = resumeFactsFor(g, scope, sw, at);
  const found = resumeAuthority(g, facts);
  if (!found.ok) return refuse("state", sentence(found.message));
  const { rule, index } = found;
  const { verified, missing, unknown } = matchVerified(rule, input.args.verified);
  if (unknown.length > 0) {
    const hints = unknown.map((u) => {
      const c = closest(u, rule.verify);
      return `\`${u}\`${c ? ` (did you mean \`${c}\`?)` : ""}`;
    });
    return refuse("invalid", `unknown verification step ${hints.join(", ")}; resuming \`${scope}\` now (${rule.title}) needs: ${rule.verify.map((v) => `\`${v}\``).join(", ")}.`);
  }
  const execute = g.authority?.kill_switch?.actions?.["resume"];
  const mayRequest = [...new Set([...rule.who, ...(execute?.execute ?? []), ...(execute?.approve ?? [])])];
  const held = heldRoles(g, mayRequest, actor, at, input.teams, input.association);
  const paused = dur(facts.pausedMs);
  const why = `${rule.title}${facts.dataIntegrity ? ", data-integrity event" : ""}${facts.afterRollback ? ", after a rollback" : ""}`;
  if (held.length === 0) {
    return refuse("forbidden", `resuming \`${scope}\` (active ${paused}: ${why}) needs ${roleTitles(g, rule.who)}; a resume may be asked for by ${rolesWithHolders(g, mayRequest, at, input.teams)}, and @${actor} holds none of these roles.`);
  }

  const notifyRoles = execute?.notify ?? [];
  const notified = peopleFor(g, notifyRoles, at, { exclude: [actor], teams: input.teams });
  const was = `active ${paused}, since ${utcTime(new Date(sw.since ?? at), at)}${sw.by ? ` by @${sw.by}` : ""}${sw.scenario ? `: ${activationTitle(g, sw.scenario)}` : ""}`;
  const overridden = scope !== GLOBAL && state?.switches[GLOBAL]?.active ? ` Note: the \`global\` kill-switch is still active and overrides \`${scope}\`, so it stays paused until \`global\` is resumed too.` : "";
  const single = rule.who.length === 1 && heldRoles(g, rule.who, actor, at, input.teams, input.association).length === 1;
  const entry = (approval: string, withVerified: string[]): LogEntry => ({
    id: entryId("resume", input.cause),
    timestamp: iso(at),
    action: "resume",
    actor,
    scope,
    ...(sw.scenario ? { scenario: sw.scenario } : {}),
    ...(sw.severity ? { severity: sw.severity } : {}),
    reason: `resumed after ${paused} (${why})`,
    approval,
    notified,
    ...(withVerified.length > 0 ? { verified: withVerified } : {}),
    link: input.link,
  });
  const commitMessage = `charter: resume kill-switch ${scope} by ${actor}\n\n${rule.title}; verified: ${verified.join(", ") || "(in the pull request)"}\n${input.link}`;
  const signers = peopleFor(g, rule.who, at, { teams: input.teams });
  const pr = (prEntry: LogEntry, protectedNote: string): PullRequestSpec => ({
    branch: `charter/resume-${scopeSlug(scope)}-${String(input.cause)}`,
    request: { kind: "resume", issue: input.issue, by: actor, scope },
    title: `Kill-switch: resume ${scope}`,
    body: [
      `## Resume the kill-switch \`${scope}\``,
      "",
      `Requested by @${actor} in #${input.issue} (${input.link}). The switch has been ${was}.`,
      ...(protectedNote ? ["", protectedNote] : []),
      "",
      `**Resume authority:** ${roleTitles(g, rule.who)} (authority.yml \`kill_switch.resume\` rule ${index + 1}, "${rule.title}"${facts.dataIntegrity ? "; data-integrity event" : ""}${facts.afterRollback ? "; after a rollback" : ""}).`,
      "",
      `**Required sign-off:** an approving review on the head commit by a holder of each role${rule.who.length > 1 ? " (a different person for each)" : ""}:`,
      "",
      "| role | who holds it now |",
      "|---|---|",
      ...rule.who.map((r) => `| ${roleTitles(g, [r])} | ${mentions(peopleFor(g, [r], at, { teams: input.teams, backups: true }))} |`),
      "",
      "### Verification",
      "",
      "A signer confirms each step by pasting it, ticked (`- [x] …`), into the text of their approving review; ticking it here does not count:",
      "",
      ...rule.verify.map((v) => `- [${verified.includes(v) ? "x" : " "}] ${v}`),
      "",
      `Merging this pull request resumes \`${scope}\`: the merged \`governance/state/killswitch.yml\` is the new state, and the log entry is already in \`governance/state/log.yml\`.${notifyRoles.length > 0 ? ` Charter then notifies ${roleTitles(g, notifyRoles)}.` : ""}`,
      "",
      `cc ${mentions(signers.filter((s) => s.toLowerCase() !== actor.toLowerCase()))}`,
    ].join("\n"),
    edits: [resumeEdit(scope, sw), appendLog(prEntry)],
    commitMessage,
  });

  if (single && missing.length === 0) {
    const direct = entry(`not required: ${rule.title}, ${roleTitles(g, rule.who)} resumes directly`, verified);
    const notifyLine = notifyRoles.length > 0 ? `\nNotified (${roleTitles(g, notifyRoles)}): ${mentions(notified)}.` : "";
    return {
      ok: true,
      kind: "direct",
      edits: [resumeEdit(scope, sw), appendLog(direct)],
      commitMessage,
      reply: `the kill-switch \`${scope}\` is **resumed** (it was ${was}). ${rule.title}: ${roleTitles(g, rule.who)} may resume directly; verified: ${verified.join(", ")}.${overridden}${notifyLine}`,
      fallback: pr(direct, "Branch protection refused Charter's direct write, so this resume is a pull request: the kill-switch stays active until it is merged."),
      fallbackReply: (p, why) => `branch protection refused Charter's direct write (${why}), so the kill-switch \`${scope}\` is **still active**. I opened #${p.number} with the resume: merge it to resume.`,
    };
  }
  const prEntry = entry(`sign-off on the pull request: ${roleTitles(g, rule.who)} (${rule.title})`, verified);
  const hint = single && missing.length > 0 ? ` (With every step confirmed, e.g. ${missing.map((m) => `\`--verified "${m}"\``).join(" ")}, you could have resumed at once.)` : "";
  return {
    ok: true,
    kind: "pull-request",
    pr: pr(prEntry, ""),
    reply: (p) =>
      `resuming \`${scope}\` (${was}) needs ${roleTitles(g, rule.who)} (${rule.title}) and verification: ${rule.verify.join(", ")}. I opened #${p.number}: it resumes when it is merged after sign-off; the kill-switch stays active until then.${hint}${overridden}`,
  };
}

function activationTitle(g: Governance, scenario: string): string {
  const a = activationAuthority(g, scenario);
  return a.ok ? `${a.title} (\`${a.id}\`)` : `\`${scenario}\``;
}
