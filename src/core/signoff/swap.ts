/**
 * The sign-off gate of Charter's own swap and override pull requests (`/swap`, `/override`:
 * src/core/oncall/swap/plan.ts). It applies only when the pull request is Charter's, its sealed
 * request verifies, and its governance/oncall.yml adds exactly the overrides sealed in the request
 * and changes nothing else. Then the people involved sign it: each of them except the requester
 * (whose sealed request is their consent), or a holder of an authority.yml `swaps.on_behalf` role
 * in their place. Anything else (a push that changes the overrides, an edited description) and
 * governance/oncall.yml is an ordinary governance change: its owners sign (fail safe).
 */
import type { Governance } from "../model/governance.js";
import { instantMillis } from "../oncall/resolve.js";
import { matchesRequest, oncallChange } from "../oncall/swap/change.js";
import { overrideWarnings } from "../oncall/swap/warnings.js";
import type { PullRequestFacts } from "./facts.js";
import { refusedGate, type Signer, type SignoffGate } from "./gate.js";
import { ONCALL_FILE } from "./state-change.js";
import { at, userText } from "./words.js";

export type SwapSelection =
  /** Not a swap or override pull request of Charter's, or it leaves oncall.yml alone. */
  | { kind: "none" }
  /** The gate of the people involved; oncall.yml is covered by it. */
  | { kind: "gate"; gate: SignoffGate }
  /** oncall.yml does not hold exactly what was requested: why (its owners sign). */
  | { kind: "mismatch"; why: string }
  /** oncall.yml changes under a request marker that does not count: said, and its owners sign. */
  | { kind: "notice"; gate: SignoffGate; why: string };

const sameLogin = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function swapSelection(g: Governance, facts: PullRequestFacts): SwapSelection {
  const r = facts.request;
  if (r?.kind === "ignored" && facts.files.some((f) => f.filename === ONCALL_FILE)) {
    const why = `the request marker in the description does not count (${r.why}), so this is not a swap or override Charter opened`;
    return {
      kind: "notice",
      why,
      gate: { key: "oncall:request", kind: "notice", title: "On-call swap or override", reasons: [`${ONCALL_FILE} changes`], signers: [], veto: "none", distinct: true, confirmations: [], form: [], freeze: false, source: { file: "oncall.yml" }, notices: [`${why}: the owners of governance/ sign this change, not the people of a swap`] },
    };
  }
  if (r?.kind !== "charter" || (r.request.kind !== "swap" && r.request.kind !== "override")) return { kind: "none" };
  const request = r.request;
  const head = facts.state.head.oncall;
  if (head === undefined) return { kind: "none" };
  const what = request.kind === "swap" ? "swap" : "override";
  const key = `oncall:${what}`;
  if (head.kind === "invalid") return { kind: "gate", gate: refusedGate(key, `On-call ${what}`, `the proposed ${ONCALL_FILE} is invalid: ${userText(head.message, 300)}`, { file: "oncall.yml" }) };
  if (head.kind === "removed") return { kind: "mismatch", why: `${ONCALL_FILE} is deleted, which is not the ${what} Charter was asked for` };
  const change = oncallChange(facts.state.base.oncall, head.value);
  if (change.kind === "other") return { kind: "mismatch", why: `${change.why}: not the ${what} Charter was asked for` };
  if (!matchesRequest(change.added, request)) return { kind: "mismatch", why: `the overrides this pull request adds to ${ONCALL_FILE} are not those of the ${what} Charter's sealed request asked for (the branch was changed after Charter opened it)` };

  const people = request.people ?? [];
  const onBehalf = g.authority?.swaps?.on_behalf ?? [];
  const signers: Signer[] = people.filter((p) => !sameLogin(p, request.by)).map((login) => ({ kind: "user", login, ...(onBehalf.length > 0 ? { onBehalf } : {}) }));
  const title = `On-call ${what} (${people.map((p) => at(p)).join(request.kind === "swap" ? " ↔ " : ", ")})`;
  if (signers.length === 0) return { kind: "gate", gate: refusedGate(key, title, "nobody but the requester is involved, so nobody can consent to it", { file: "authority.yml", where: "swaps" }) };
  const own = people.some((p) => sameLogin(p, request.by));
  const reasons = [
    `${ONCALL_FILE} adds ${change.added.length} override${change.added.length === 1 ? "" : "s"}: exactly the ${what} Charter's sealed request asked for (by ${at(request.by)} in #${request.issue})`,
    own ? `${at(request.by)} asked for it: their sealed request is their consent; the other people involved approve` : `${at(request.by)} asked for it on behalf of the people involved: each of them approves`,
  ];
  // one person in two tiers at once, or someone on call while unavailable, is said (the validator's and the drill's warnings)
  const from = Math.min(...change.added.map((p) => instantMillis(p.override.from)));
  const until = Math.max(...change.added.map((p) => instantMillis(p.override.until)));
  const base = { ...g, oncall: facts.state.base.oncall! };
  const notices = overrideWarnings(base, change.added, { from: new Date(from), until: new Date(until) }).map((w) => `Warning: ${w}`);
  return {
    kind: "gate",
    gate: {
      key,
      kind: "oncall",
      title,
      reasons,
      signers,
      veto: "any-approver",
      distinct: true,
      confirmations: [],
      form: [],
      freeze: false,
      source: { file: "authority.yml", where: "swaps" },
      ...(notices.length > 0 ? { notices } : {}),
    },
  };
}
