/**
 * A sign-off gate as it applies to one pull request: who must sign, whose change request blocks,
 * what must be ticked or filled in, and where the rule comes from. Gates come from phase
 * transitions, rollbacks, kill-switch resumes and OWNERS (see select.ts).
 */
import type { Governance } from "../model/governance.js";
import { roleTitle } from "../roles/resolve.js";
import { inlineUserText } from "../text/untrusted.js";
import type { Transition } from "./log-entries.js";
import type { Declaration } from "./selection.js";
import type { TimeLimit } from "./timing.js";

/** Someone who must sign: any holder of a role, a named user, or any member of a team. */
export type Signer =
  | { kind: "role"; role: string }
  /** A named user; `onBehalf`: holders of these roles may sign in their place (a swap's people, authority.yml `swaps.on_behalf`). */
  | { kind: "user"; login: string; onBehalf?: readonly string[] }
  | { kind: "team"; team: string };

/** Whose "request changes" review blocks the gate: holders of any signer, nobody, or these roles. */
export type VetoRule = "any-approver" | "none" | readonly string[];

export interface RequiredConfirmation {
  text: string;
  /**
   * The role whose holder confirms it (in the text of their approving review). Without one, a
   * holder of any signer of the gate confirms it.
   */
  role?: string;
}

/** `notice`: no one signs it and it passes; it only shows something the reader must know. */
export type GateKind = "phase" | "rollback" | "resume" | "oncall" | "owners" | "refused" | "notice";

export interface SignoffGate {
  /** Stable identity within one evaluation, e.g. `phase:P3->P4`, `owners:17`. */
  key: string;
  kind: GateKind;
  /** e.g. `Phase gate P3 → P4 (GA)`, `OWNERS /governance/`. */
  title: string;
  /** Why this gate applies to the pull request, one line each. */
  reasons: string[];
  signers: Signer[];
  veto: VetoRule;
  /** One person signs for at most one signer (four eyes). */
  distinct: boolean;
  confirmations: RequiredConfirmation[];
  /** Fields of the description that must be filled in (the rollback sign-off form). */
  form: string[];
  /** Fails while a freezing incident is open or a kill-switch is active. */
  freeze: boolean;
  /** RACI activity (authority.yml raci.activities) for review requests and mentions. */
  activity?: string;
  /** Set when the gate fails whatever anyone signs (e.g. skipping phases): the reason. */
  refusal?: string;
  /** The governance file (relative to governance/) and place that defines the rule. */
  source: { file: string; where?: string };
  /** The state transition this gate governs (rollbacks, resumes), which log entries may record. */
  transition?: Transition;
  /** What was read and deliberately not counted (an ignored marker, a claim), one line each. */
  notices?: string[];
  /** What the description declares that selected or shaped this gate (its changes void earlier approvals). */
  declared?: Declaration[];
  /** Approvals older than this do not count (authority.yml `valid_for`). */
  validFor?: TimeLimit;
  /** Missing signers are reminded this long after the pull request opened (authority.yml `remind_after`). */
  remindAfter?: TimeLimit;
}

/** A signer for people: `SRE Lead`, `@alice`, `@acme/dba` (a person or team named, never notified). */
export function signerLabel(g: Governance, s: Signer): string {
  if (s.kind === "role") return roleTitle(g, s.role);
  if (s.kind === "user" && s.onBehalf && s.onBehalf.length > 0) return `${inlineUserText(`@${s.login}`, 120)} (or ${s.onBehalf.map((r) => roleTitle(g, r)).join(" or ")} on their behalf)`;
  return inlineUserText(`@${s.kind === "user" ? s.login : s.team}`, 120);
}

export function signerKey(s: Signer): string {
  if (s.kind === "role") return `role:${s.role}`;
  if (s.kind === "user") return `user:${s.login.toLowerCase()}`;
  return `team:${s.team.toLowerCase()}`;
}

export function roleSigners(roles: readonly string[]): Signer[] {
  const seen = new Set<string>();
  return roles.filter((r) => !seen.has(r) && seen.add(r)).map((role) => ({ kind: "role", role }));
}

/** A gate that fails whatever anyone signs, with the reason and how to fix it. */
export function refusedGate(key: string, title: string, refusal: string, source: SignoffGate["source"], reasons: string[] = [], extra: Pick<SignoffGate, "notices" | "declared"> = {}): SignoffGate {
  return { key, kind: "refused", title, reasons, signers: [], veto: "none", distinct: true, confirmations: [], form: [], freeze: false, refusal, source, ...extra };
}
