/**
 * Which gates apply to a pull request, from facts only: phase transitions (D9 §6.1), rollbacks
 * (§6.3, §6.4), kill-switch resumes (§5.3) and path ownership (OWNERS, §8). A pull request can
 * match several gates; all must pass.
 *
 * Governance changes are always gated. A state file changed by a recognised transition (a phase
 * move with its gate, a rollback, a resume, and the log entries recording them) is governed by
 * that transition's gate. Any other change follows OWNERS; a file under governance/ that OWNERS
 * gives no owners needs the owners of governance/ (the last OWNERS line with owners that matches
 * it), and when nobody owns it the gate is refused (fail safe).
 */
import { activationAuthority, phaseGate, phaseLabel, resumeAuthority, rollbackAuthority, type RollbackAuthority } from "../authority/lookup.js";
import type { Gate } from "../model/authority.js";
import { GOVERNANCE_DIR } from "../model/file-names.js";
import type { Governance } from "../model/governance.js";
import type { Owner, OwnersRule } from "../model/owners.js";
import { matchesPattern, owningRule } from "../owners/match.js";
import { roleTitle } from "../roles/resolve.js";
import { declarationCandidates, descriptionUnread } from "./body.js";
import { rollbackDeclaration } from "./declaration.js";
import { MAX_PATH_UNITS, overCap } from "../text/limits.js";
import { trimEndSpaceAnd } from "../text/scan.js";
import { inlineUserText } from "../text/untrusted.js";
import type { PullRequestFacts } from "./facts.js";
import { refusedGate, roleSigners, type Signer, type SignoffGate } from "./gate.js";
import { logChainGate } from "./log-chain.js";
import { gateTiming } from "./timing.js";
import { logEntryProblems, type Transition } from "./log-entries.js";
import { requesterOf } from "./request.js";
import type { Declaration } from "./selection.js";
import { swapSelection } from "./swap.js";
import { KILLSWITCH_FILE, LOG_FILE, ONCALL_FILE, PHASE_FILE, killSwitchChange, logChange, phaseChange, type Resume } from "./state-change.js";
import { andList, at, codeSpan, userText } from "./words.js";

/** Charter governs merges into the default branch only. */
export function isGoverned(facts: Pick<PullRequestFacts, "baseRef" | "defaultBranch">): boolean {
  return facts.baseRef === facts.defaultBranch;
}

function moveLabel(g: Governance, from: string, to: string): string {
  return `${phaseLabel(g, from)} → ${phaseLabel(g, to)}`;
}

/** A phase gate of authority.yml as it applies to this pull request. */
export function phaseSignoffGate(g: Governance, gate: Gate, index: number, reasons: string[]): SignoffGate {
  const move = moveLabel(g, gate.from, gate.to);
  const title = gate.title && !move.includes(`(${gate.title})`) ? `Phase gate ${move} (${gate.title})` : `Phase gate ${move}`;
  return {
    key: `phase:${gate.from}->${gate.to}`,
    kind: "phase",
    title,
    reasons,
    signers: roleSigners(gate.require),
    veto: gate.veto ?? "any-approver",
    distinct: gate.distinct ?? true,
    confirmations: (gate.confirmations ?? []).map((c) => (typeof c === "string" ? { text: c } : { text: c.text, ...(c.role ? { role: c.role } : {}) })),
    form: [],
    freeze: gate.freeze ?? false,
    ...(gate.activity ? { activity: gate.activity } : {}),
    source: { file: "authority.yml", where: `phases.gates[${index}]` },
    ...gateTiming(g, { gate, index }),
  };
}

/** Every role of the rollback authority: any of them may veto any rollback, whatever type is declared. */
export function rollbackVetoRoles(g: Governance): string[] {
  const out: string[] = [];
  for (const t of Object.values(g.authority?.rollback?.types ?? {})) for (const r of [...(t.decide ?? []), ...(t.approve ?? [])]) if (!out.includes(r)) out.push(r);
  return out;
}

function rollbackGate(g: Governance, from: string, to: string, facts: PullRequestFacts): SignoffGate {
  const move = moveLabel(g, from, to);
  const reasons = [`${PHASE_FILE} moves the rollout back from ${phaseLabel(g, from)} to ${phaseLabel(g, to)}: a rollback`];
  const key = `rollback:${from}->${to}`;
  const source = { file: "authority.yml", where: "rollback.types" };
  const types = Object.keys(g.authority?.rollback?.types ?? {});
  const declaration = rollbackDeclaration(facts);
  const notices = declaration.notices;
  if (types.length === 0) return refusedGate(key, `Rollback ${move}`, "authority.yml defines no rollback types (rollback.types), so nobody can sign a rollback", source, reasons, { notices });
  if (declaration.kind === "refused") return refusedGate(key, `Rollback ${move}`, declaration.why, source, reasons, { notices });
  const vetoRoles = rollbackVetoRoles(g);
  const vetoWords = `any role of the rollback authority (${andList(vetoRoles.map((r) => roleTitle(g, r)))}) may veto it, whatever type is declared`;

  let found: RollbackAuthority;
  let declared: Declaration[] | undefined;
  let why: string;
  if (declaration.kind === "sealed") {
    const hit = rollbackAuthority(g, declaration.type);
    if (!hit.ok) return refusedGate(key, `Rollback ${move}`, `Charter's sealed request asks for the rollback type ${codeSpan(declaration.type, 60)}, which authority.yml on the default branch does not define (${trimEndSpaceAnd(hit.message, ".")}); ask again with \`/rollback\``, source, reasons, { notices });
    found = hit;
    why = `Charter's sealed request (asked by ${at(declaration.by)} in #${declaration.issue}) is a rollback of type \`${found.id}\` (${found.title}); ${vetoWords}`;
  } else {
    const seen = declaration.values.map((v) => v.replace(/`/g, "").trim()).join(" | ");
    const claim: Declaration = { key: `rollback-type:${from}->${to}`, value: seen, what: "the rollback type", shown: seen === "" ? "(none)" : codeSpan(seen, 80) };
    const refuse = (refusal: string) => refusedGate(key, `Rollback ${move}`, refusal, source, reasons, { notices, declared: [claim] });
    if (declaration.values.length === 0) {
      return refuse(`a rollback must declare its type in the description: add a line \`Rollback type: <type>\` (one of ${types.map((t) => `\`${t}\``).join(", ")})`);
    }
    const resolved = new Map<string, RollbackAuthority>();
    for (const d of declaration.values) {
      const hit = declarationCandidates(d).map((c) => rollbackAuthority(g, c)).find((r): r is RollbackAuthority => r.ok);
      if (!hit) {
        const miss = rollbackAuthority(g, declarationCandidates(d)[0] ?? d);
        const said = miss.ok ? `unknown rollback type ${codeSpan(d, 80)}` : userText(trimEndSpaceAnd(miss.message, "."), 300);
        return refuse(`${said}. Fix the \`Rollback type:\` line of the description`);
      }
      resolved.set(hit.id, hit);
    }
    if (resolved.size > 1) {
      return refuse(`the description declares more than one rollback type (${[...resolved.keys()].map((t) => `\`${t}\``).join(", ")}); keep exactly one`);
    }
    found = [...resolved.values()][0]!;
    declared = [{ ...claim, value: found.id, shown: `\`${found.id}\` (${found.title})` }];
    why = `the description declares the rollback type \`${found.id}\` (${found.title}): the author's claim, so ${vetoWords}; approvals given before it last changed do not count`;
  }
  return {
    key,
    kind: "rollback",
    title: `Rollback ${move}: ${found.title}`,
    reasons: [...reasons, why],
    signers: roleSigners([...found.decide, ...found.approve]),
    veto: vetoRoles,
    distinct: true,
    confirmations: [],
    form: [...(g.authority?.rollback?.form ?? [])],
    freeze: false,
    ...(found.activity ? { activity: found.activity } : {}),
    source: { file: "authority.yml", where: `rollback.types.${found.id}` },
    transition: { kind: "rollback", from, to, type: found.id },
    ...(notices.length > 0 ? { notices } : {}),
    ...(declared ? { declared } : {}),
  };
}

function resumeGate(g: Governance, resume: Resume, now: Date): SignoffGate {
  const sw = resume.active;
  const since = sw.since ? Date.parse(sw.since) : Number.NaN;
  // A switch without a known start is treated as paused for a long time (the stricter rules).
  const pausedMs = Number.isNaN(since) ? Number.POSITIVE_INFINITY : Math.max(0, now.getTime() - since);
  const scenario = sw.scenario ? activationAuthority(g, sw.scenario) : undefined;
  const dataIntegrity = scenario?.ok ? scenario.dataIntegrity : false;
  const afterRollback = sw.rolled_back ?? false;
  const key = `resume:${resume.scope}`;
  const title = `Resume kill-switch \`${resume.scope}\``;
  const facts = [
    Number.isFinite(pausedMs) ? `paused since ${sw.since}` : "paused since an unknown time (treated as a long pause)",
    ...(sw.scenario ? [`scenario ${codeSpan(sw.scenario, 80)}${dataIntegrity ? " (a data-integrity event)" : ""}`] : []),
    ...(afterRollback ? ["a rollback happened while paused"] : []),
  ];
  const reasons = [`${KILLSWITCH_FILE} turns off the active kill-switch \`${resume.scope}\` (${facts.join("; ")})`];
  const found = resumeAuthority(g, { pausedMs, dataIntegrity, afterRollback, scope: resume.scope });
  if (!found.ok) return refusedGate(key, title, found.message, { file: "authority.yml", where: "kill_switch.resume" }, reasons);
  const rule = found.rule;
  return {
    key,
    kind: "resume",
    title: `${title}: ${rule.title}`,
    reasons: [...reasons, `resume authority: "${rule.title}" (the first matching rule)`],
    signers: roleSigners(rule.who),
    veto: "any-approver",
    distinct: true,
    confirmations: rule.verify.map((text) => ({ text })),
    form: [],
    freeze: false,
    source: { file: "authority.yml", where: `kill_switch.resume[${found.index}]` },
    transition: { kind: "resume", scope: resume.scope },
  };
}

function ownerSigner(o: Owner): Signer {
  if (o.kind === "role") return { kind: "role", role: o.id };
  if (o.kind === "user") return { kind: "user", login: o.login };
  return { kind: "team", team: o.team };
}

/** The last OWNERS line with owners that matches `path` (empty lines are skipped). */
function ownedBy(rules: readonly OwnersRule[], path: string): OwnersRule | undefined {
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i]!;
    if (rule.owners.length > 0 && matchesPattern(rule.pattern, path)) return rule;
  }
  return undefined;
}

function fileList(files: readonly string[], max = 5): string {
  const shown = files.slice(0, max).map((f) => codeSpan(f, 200)).join(", ");
  return files.length > max ? `${shown} and ${files.length - max} more` : shown;
}

/** Every gate that applies to the pull request, in a stable order: transitions first, then OWNERS lines. */
export function selectGates(g: Governance, facts: PullRequestFacts, now: Date): SignoffGate[] {
  const gates: SignoffGate[] = [];
  /** State files whose change a transition rule governs (so the governance fail-safe does not apply). */
  const covered = new Set<string>();
  /** Why a governance file needs the governance owners, by path. */
  const failSafe = new Map<string, string>();

  // Phase transitions (D9 §6.1) and rollbacks (§6.3).
  const phase = phaseChange(facts.state);
  if (phase.kind === "invalid") {
    covered.add(PHASE_FILE);
    gates.push(refusedGate("phase:invalid", "Phase change", `the proposed ${PHASE_FILE} is invalid: ${userText(phase.message, 300)}`, { file: "state/phase.yml" }));
  } else if (phase.kind === "other") {
    failSafe.set(PHASE_FILE, `${phase.why}: no phase transition governs this change`);
  } else if (phase.kind === "move") {
    const { from, to } = phase;
    const why = [`${PHASE_FILE} moves the rollout from ${phaseLabel(g, from)} to ${phaseLabel(g, to)}`];
    const found = phaseGate(g, from, to);
    switch (found.kind) {
      case "gate":
        covered.add(PHASE_FILE);
        gates.push(phaseSignoffGate(g, found.gate, found.index, why));
        break;
      case "rollback":
        covered.add(PHASE_FILE);
        gates.push(rollbackGate(g, from, to, facts));
        break;
      case "unknown-phase":
        covered.add(PHASE_FILE);
        gates.push(
          refusedGate(`phase:${from}->${to}`, `Phase change ${from} → ${to}`, `\`${found.phase}\` is not a phase in authority.yml phases.order${found.known.length > 0 ? ` (${found.known.join(", ")})` : " (none are defined)"}${found.suggestion ? `; did you mean \`${found.suggestion}\`?` : ""}`, { file: "authority.yml", where: "phases.order" }, why),
        );
        break;
      case "skip":
        if (!found.allowed) {
          covered.add(PHASE_FILE);
          const order = g.authority?.phases?.order ?? [];
          const path = order.slice(order.indexOf(from), order.indexOf(to) + 1);
          const steps = path.slice(1).map((p, i) => `${path[i]} → ${p}`);
          gates.push(
            refusedGate(`phase:${from}->${to}`, `Phase change ${moveLabel(g, from, to)}`, `skipping ${found.skipped.join(", ")} is not allowed (authority.yml phases.allow_skip is false); move one phase at a time: ${steps.join(", ")}`, { file: "authority.yml", where: "phases.allow_skip" }, why),
          );
        } else if (found.gates.length > 0) {
          covered.add(PHASE_FILE);
          for (const step of found.gates) gates.push(phaseSignoffGate(g, step.gate, step.index, [...why, `skipping ${found.skipped.join(", ")} is allowed: every gate along the way applies`]));
        } else {
          failSafe.set(PHASE_FILE, `${why[0]}, and authority.yml defines no gate along the way`);
        }
        break;
      case "no-gate":
        failSafe.set(PHASE_FILE, `${why[0]}, and authority.yml defines no gate for ${moveLabel(g, from, to)}`);
        break;
    }
  }

  // Kill-switch resumes (D9 §5.3).
  const ks = killSwitchChange(facts.state);
  if (ks.kind === "invalid") {
    covered.add(KILLSWITCH_FILE);
    gates.push(refusedGate("killswitch:invalid", "Kill-switch change", `the proposed ${KILLSWITCH_FILE} is invalid: ${userText(ks.message, 300)}`, { file: "state/killswitch.yml" }));
  } else if (ks.kind === "change") {
    for (const resume of ks.resumes) gates.push(resumeGate(g, resume, now));
    if (ks.other.length === 0) covered.add(KILLSWITCH_FILE);
    else failSafe.set(KILLSWITCH_FILE, `${ks.other.join("; ")}: no resume rule governs this change`);
  }

  // Charter's own swap and override pull requests: the people involved sign (src/core/signoff/swap.ts).
  const swap = swapSelection(g, facts);
  if (swap.kind === "gate") {
    covered.add(ONCALL_FILE);
    gates.push(swap.gate);
  } else if (swap.kind === "mismatch") failSafe.set(ONCALL_FILE, swap.why);
  else if (swap.kind === "notice") {
    gates.push(swap.gate);
    failSafe.set(ONCALL_FILE, "its request marker does not count (above)");
  }

  // The log entries that go with a transition are part of it, when they record exactly it.
  const transitions: Transition[] = [];
  if (phase.kind === "move" && gates.some((x) => x.kind === "phase")) transitions.push({ kind: "advance", from: phase.from, to: phase.to });
  for (const gate of gates) if (gate.transition) transitions.push(gate.transition);
  const logPatch = facts.files.find((f) => f.filename === LOG_FILE)?.patch;
  const log = logChange(facts.state, logPatch);
  if (log.kind === "append" && transitions.length > 0) {
    const problems = logEntryProblems(log.entries, transitions, requesterOf(facts));
    if (problems.length === 0) covered.add(LOG_FILE);
    else failSafe.set(LOG_FILE, `${LOG_FILE}: ${problems.join("; ")}`);
  } else if (log.kind === "append") {
    failSafe.set(LOG_FILE, `${LOG_FILE} gains ${[...new Set(log.entries.map((e) => `\`${e.action}\``))].join(", ")} entries without the transition they record`);
  } else if (log.kind === "other") failSafe.set(LOG_FILE, log.why);
  // The log's hash chain: a pull request that breaks it cannot pass, whoever signs.
  const chain = logChainGate(facts.state, logPatch);
  if (chain) gates.push(chain);

  const paths = facts.files.flatMap((f) => (f.previousFilename && f.previousFilename !== f.filename ? [f.filename, f.previousFilename] : [f.filename]));
  const longPaths = paths.filter((p) => overCap(p, MAX_PATH_UNITS));
  if (longPaths.length > 0) {
    gates.push(refusedGate("files:path-too-long", "Changed files", `the pull request changes a path longer than ${MAX_PATH_UNITS.toLocaleString("en")} characters, so Charter does not read it and cannot tell who owns it: shorten the path (${inlineUserText(longPaths[0]!, 80)})`, { file: "OWNERS" }));
  }

  if (facts.filesTruncated) {
    gates.push(refusedGate("files:truncated", "Changed files", "the pull request changes more files than GitHub lists (3000), so Charter cannot tell who owns them; split it into smaller pull requests", { file: "OWNERS" }));
  }

  // Paths (OWNERS, last match wins; every owner on the line signs).
  const byRule = new Map<OwnersRule, { files: string[]; failSafe: string[] }>();
  const unowned: string[] = [];
  const touch = (rule: OwnersRule, path: string, why?: string) => {
    let entry = byRule.get(rule);
    if (!entry) byRule.set(rule, (entry = { files: [], failSafe: [] }));
    if (!entry.files.includes(path)) entry.files.push(path);
    if (why && !entry.failSafe.includes(why)) entry.failSafe.push(why);
  };
  for (const path of [...new Set(paths)]) {
    if (overCap(path, MAX_PATH_UNITS)) continue; // refused above
    // A state file changed by a recognised transition is governed by that transition's gate.
    if (covered.has(path)) continue;
    const rule = owningRule(g.owners, path);
    if (rule && rule.owners.length > 0) {
      touch(rule, path, failSafe.get(path));
      continue;
    }
    if (!path.startsWith(`${GOVERNANCE_DIR}/`)) continue;
    const why = failSafe.get(path) ?? `${path} has no owners in OWNERS`;
    const owners = ownedBy(g.owners, path);
    if (owners) touch(owners, path, `${why}, so the owners of governance/ sign (fail safe)`);
    else unowned.push(`${why}`);
  }
  if (unowned.length > 0) {
    gates.push(
      refusedGate("governance:unowned", "Governance change", `nobody owns these governance files, so nobody can sign their change: add a \`/${GOVERNANCE_DIR}/\` line with owners to governance/OWNERS`, { file: "OWNERS" }, unowned),
    );
  }
  const rules = [...byRule.keys()].sort((a, b) => a.line - b.line);
  for (const rule of rules) {
    const entry = byRule.get(rule)!;
    gates.push({
      key: `owners:${rule.line}`,
      kind: "owners",
      title: `OWNERS ${rule.pattern}`,
      reasons: [`changes ${fileList(entry.files)} (OWNERS line ${rule.line}: \`${rule.pattern}\`)`, ...entry.failSafe],
      signers: rule.owners.map(ownerSigner),
      veto: "any-approver",
      distinct: true,
      confirmations: [],
      form: [],
      freeze: false,
      source: { file: "OWNERS", where: `line ${rule.line}` },
    });
  }

  // A description longer than GitHub allows is not read: a gate that needs it (a rollback's type
  // and form, confirmations, verification steps) cannot pass, and the check says why.
  const unread = descriptionUnread(facts.body);
  const reader = unread ? gates.find((x) => x.key.startsWith("rollback:") || x.confirmations.length > 0 || x.form.length > 0) : undefined;
  if (unread && reader) gates.push(refusedGate("description:unread", "Description", `${unread}: shorten it to sign this pull request`, reader.source));
  // the defaults of authority.yml `signoff` for every gate someone signs that has no limits of its own
  const defaults = gateTiming(g);
  return gates.map((x) => (x.kind === "phase" || x.kind === "refused" || x.kind === "notice" ? x : { ...defaults, ...x }));
}
