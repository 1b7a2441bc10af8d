/**
 * `charter drill gate | resume | rollback | path`: who would have to sign, at an instant, with no
 * GitHub. The drill makes up the pull request the app would see (the state file it changes, the
 * files it touches, the rollback type it declares) and runs the app's own sign-off core on it:
 * gate selection (`selectGates`) and evaluation with no review yet (`evaluateSignoff`), so the
 * answer is the check's, including refusals (skipping phases, no rule for a resume, …).
 */
import { phaseOrder, rollbackAuthority } from "../authority/lookup.js";
import type { Governance } from "../model/governance.js";
import type { Switch } from "../model/state.js";
import { evaluateSignoff, type GateResult } from "../signoff/evaluate.js";
import type { ChangedFile, PullRequestFacts } from "../signoff/facts.js";
import { signerLabel } from "../signoff/gate.js";
import type { SignerHolders } from "../signoff/holders.js";
import { selectGates } from "../signoff/select.js";
import { KILLSWITCH_FILE, PHASE_FILE } from "../signoff/state-change.js";
import { vetoRoles } from "../signoff/veto.js";

/** What a drill asks about: a phase move, a resume, a rollback, or paths touched. */
export type SignoffQuestion =
  | { kind: "gate"; from: string; to: string }
  | { kind: "rollback"; type: string; from: string; to: string }
  | { kind: "resume"; scope: string; pausedMs: number; scenario?: string; afterRollback: boolean }
  | { kind: "path"; paths: string[] };

export interface DrillSigner {
  label: string;
  /** Role id, `@login` or `@org/team`. */
  ref: string;
  holders: string[];
  backups: string[];
  /** Teams whose members a drill cannot read (App mode reads them; GITHUB_TOKEN in Actions cannot). */
  teams: string[];
  anyone: boolean;
}

export interface DrillGate {
  title: string;
  kind: string;
  reasons: string[];
  source: string;
  /** Set when the change is refused whoever signs. */
  refusal?: string;
  signers: DrillSigner[];
  /** Each signer needs a different person. */
  fourEyes: boolean;
  /** Whose "request changes" review would block it: each role with the people who hold it. */
  veto: { rule: "any-approver" | "none" | "roles"; by: DrillSigner[] };
  confirmations: { text: string; by?: string }[];
  form: string[];
  freeze: boolean;
}

export interface SignoffDrill {
  question: SignoffQuestion;
  /** The instant roles (on-call tiers) were resolved at. */
  at: string;
  gates: DrillGate[];
  /** The pull request the drill made up, in words. */
  scenario: string;
  /** Notes for people, e.g. an immediate rollback that needs no pull request. */
  notes: string[];
}

const DRILL_AUTHOR = "";

function facts(files: ChangedFile[], state: PullRequestFacts["state"], body = ""): PullRequestFacts {
  return {
    number: 0,
    author: { login: DRILL_AUTHOR, type: "User" },
    headSha: "0000000",
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body,
    labels: [],
    files,
    state,
  };
}

function signerOf(label: string, ref: string, h: SignerHolders): DrillSigner {
  return { label, ref, holders: [...h.holders], backups: [...h.backups], teams: [...h.unresolvedTeams], anyone: h.anyone };
}

function drillGate(g: Governance, r: GateResult, at: Date): DrillGate {
  const gate = r.gate;
  const signers = r.signers.map((s) => signerOf(s.label, s.signer.kind === "role" ? s.signer.role : s.label, s.holders));
  const holders = r.signers.map((s) => s.holders);
  const roles = vetoRoles(g, gate, holders, at, undefined);
  const veto: DrillGate["veto"] = {
    rule: gate.veto === "any-approver" ? "any-approver" : gate.veto === "none" ? "none" : "roles",
    by: roles.map((v) => signerOf(v.label, v.label, v.holders)),
  };
  return {
    title: gate.title,
    kind: gate.kind,
    reasons: [...gate.reasons],
    source: `${gate.source.file}${gate.source.where ? ` ${gate.source.where}` : ""}`,
    ...(gate.refusal !== undefined ? { refusal: gate.refusal } : {}),
    signers,
    fourEyes: gate.distinct,
    veto,
    confirmations: gate.confirmations.map((c) => ({ text: c.text, ...(c.role ? { by: signerLabel(g, { kind: "role", role: c.role }) } : {}) })),
    form: [...gate.form],
    freeze: gate.freeze,
  };
}

function evaluate(g: Governance, f: PullRequestFacts, at: Date): DrillGate[] {
  const gates = selectGates(g, f, at);
  const tree = evaluateSignoff({ governance: g, facts: f, gates, reviews: [], now: at });
  return tree.gates.map((r) => drillGate(g, r, at));
}

/** The phase the rollout is in now (state/phase.yml), else undefined. */
export function currentPhase(g: Governance): string | undefined {
  return g.state.phase?.phase;
}

/** The phase before `phase` in `phases.order`. */
export function previousPhase(g: Governance, phase: string): string | undefined {
  const order = phaseOrder(g);
  const i = order.indexOf(phase);
  return i > 0 ? order[i - 1] : undefined;
}

/** Run a sign-off drill at `at`. Phases must be names of `phases.order`. */
export function drillSignoff(g: Governance, q: SignoffQuestion, at: Date): SignoffDrill {
  const notes: string[] = [];
  const phaseState = (from: string, to: string): PullRequestFacts["state"] => ({
    base: { phase: { version: 1, phase: from } },
    head: { phase: { kind: "valid", value: { version: 1, phase: to } } },
  });
  const phaseFile: ChangedFile[] = [{ filename: PHASE_FILE, status: "modified" }];
  switch (q.kind) {
    case "gate":
      return { question: q, at: at.toISOString(), gates: evaluate(g, facts(phaseFile, phaseState(q.from, q.to)), at), scenario: `a pull request that changes ${PHASE_FILE} from phase ${q.from} to ${q.to}`, notes };
    case "rollback": {
      const t = rollbackAuthority(g, q.type);
      if (t.ok && t.immediate) {
        notes.push(`${t.title} is immediate: a holder of ${t.decide.map((r) => signerLabel(g, { kind: "role", role: r })).join(" or ")} may roll back at once with \`/rollback ${q.to} ${t.id}\` and a reason, in a comment on an issue, with no pull request and no sign-off; the pull request below is the way for everyone else.`);
      }
      const id = t.ok ? t.id : q.type;
      return {
        question: q,
        at: at.toISOString(),
        gates: evaluate(g, facts(phaseFile, phaseState(q.from, q.to), `Rollback type: ${id}`), at),
        scenario: `a rollback pull request from phase ${q.from} back to ${q.to} that declares \`Rollback type: ${id}\` (or the one Charter opens for \`/rollback ${q.to} ${id}\` and a reason)`,
        notes,
      };
    }
    case "resume": {
      const since = new Date(at.getTime() - q.pausedMs).toISOString();
      const active: Switch = { active: true, since, by: "charter-drill", ...(q.scenario ? { scenario: q.scenario } : {}), ...(q.afterRollback ? { rolled_back: true } : {}) };
      const state: PullRequestFacts["state"] = {
        base: { killswitch: { version: 1, switches: { [q.scope]: active } } },
        head: { killswitch: { kind: "valid", value: { version: 1, switches: { [q.scope]: { active: false } } } } },
      };
      const drill = evaluate(g, facts([{ filename: KILLSWITCH_FILE, status: "modified" }], state), at);
      const single = drill.find((x) => x.kind === "resume" && x.signers.length === 1 && x.refusal === undefined);
      if (single) notes.push(`One role signs: a holder or backup of ${single.signers[0]!.label} may also resume directly with \`/killswitch resume ${q.scope}\` on an issue, confirming each verification step with \`--verified\` and the step's words, with no pull request.`);
      return { question: q, at: at.toISOString(), gates: drill, scenario: `a pull request that turns off the kill-switch \`${q.scope}\`, active since ${since}${q.scenario ? ` (scenario \`${q.scenario}\`)` : ""}${q.afterRollback ? ", with a rollback while it was active" : ""}`, notes };
    }
    case "path":
      return {
        question: q,
        at: at.toISOString(),
        gates: evaluate(g, facts(q.paths.map((p) => ({ filename: p, status: "modified" as const })), { base: {}, head: {} }), at),
        scenario: `a pull request that changes ${q.paths.map((p) => `\`${p}\``).join(", ")}`,
        notes,
      };
  }
}

/** Everyone who could sign for a signer (holders, then backups), or who could veto. */
export function peopleOf(s: DrillSigner): string[] {
  return [...s.holders, ...s.backups];
}
