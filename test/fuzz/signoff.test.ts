/**
 * Fuzzing the sign-off evaluation with random review histories, fixed seeds. Extends the property
 * in test/signoff/core.test.ts (which checks each counted signer against a reference model for one
 * gate and one author) with metamorphic properties over two gates at once (the GA phase gate and
 * an OWNERS line), a random author who may hold a required role, bots known only by their account
 * type, and logins in any case:
 *
 * - the order GitHub lists reviews in does not matter;
 * - removing every review by the author, or by a bot, changes nothing (they never count);
 * - adding a stale approval (an older commit) before a reviewer's own reviews, or for someone who
 *   has not reviewed, changes nothing;
 * - inserting reviews before a reviewer's latest decisive review changes nothing (superseded);
 * - changing the case of any login changes nothing;
 * - a standing change request by a holder of a required role, as their latest review, blocks.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { Governance } from "../../src/core/model/governance.js";
import { evaluateSignoff, type SignoffTree } from "../../src/core/signoff/evaluate.js";
import type { PullRequestFacts, ReviewFact, ReviewState } from "../../src/core/signoff/facts.js";
import { selectGates } from "../../src/core/signoff/select.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";

const SEED = 7_000_201;
const RUNS = 500;
const HEAD = "h".repeat(40);
const OLD = "0".repeat(40);
const NOW = new Date("2025-06-04T13:00:00Z");
const T0 = Date.parse("2025-06-04T09:00:00Z");

/** Holders and backups of the roles the two gates need (D9), people without a role, bots by login and by type only. */
const HOLDERS = ["ana-owner", "ben-owner", "pat-pm", "paula-pm", "sam-sre", "sid-sre", "dora-db", "dan-db"];
const OTHERS = ["rita-release", "mallory"];
const BOT_LOGINS = ["renovate[bot]", "charter[bot]"];
const BOT_BY_TYPE = ["deploy-robot"]; // a Bot account whose login does not say so
const PEOPLE = [...HOLDERS, ...OTHERS, ...BOT_LOGINS, ...BOT_BY_TYPE];
const STATES: ReviewState[] = ["APPROVED", "CHANGES_REQUESTED", "COMMENTED", "DISMISSED", "PENDING"];

let D9: Governance;
beforeAll(async () => {
  const r = await loadGovernance(memorySource(d9Files()));
  if (!r.ok) throw new Error("D9 does not load");
  D9 = r.governance;
});

const isBotLogin = (login: string) => BOT_LOGINS.includes(login.toLowerCase()) || BOT_BY_TYPE.includes(login.toLowerCase());

function facts(author: string): PullRequestFacts {
  return {
    number: 7,
    author: { login: author, type: "User" },
    headSha: HEAD,
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body: "- [x] Technical criteria met, system stable\n- [x] Client feedback acceptable, no blockers\n- [x] Infra stable, monitoring adequate, on-call trained",
    labels: [],
    files: [
      { filename: "governance/state/phase.yml", status: "modified" },
      { filename: "db/migrations/002_add_index.sql", status: "added" },
    ],
    state: { base: { phase: D9.state.phase, killswitch: D9.state.killswitch, log: D9.state.log }, head: { phase: { kind: "valid", value: { ...D9.state.phase!, phase: "P4" } } } },
  };
}

/** What a decision is, compared case-insensitively: per gate, per signer, the status and who signed; the vetoes; the verdict. */
function decision(tree: SignoffTree): unknown {
  return {
    passed: tree.passed,
    gates: tree.gates.map((g) => ({
      key: g.gate.key,
      passed: g.passed,
      signers: g.signers.map((s) => [s.label, s.status, s.signedBy?.toLowerCase() ?? null, s.vetoedBy.map((v) => v.toLowerCase()).sort()]),
      vetoes: g.vetoes.map((v) => v.login.toLowerCase()).sort(),
    })),
  };
}

function evaluate(author: string, reviews: readonly ReviewFact[]): SignoffTree {
  const f = facts(author);
  return evaluateSignoff({ governance: D9, facts: f, gates: selectGates(D9, f, NOW), reviews, now: NOW, incidents: [] });
}

const recase = (login: string, mask: number) => [...login].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c)).join("");

const reviewArb = fc.record({
  who: fc.constantFrom(...PEOPLE),
  state: fc.constantFrom(...STATES),
  onHead: fc.boolean(),
  minute: fc.integer({ min: 0, max: 40 }),
  caseMask: fc.nat(),
});
const historyArb = fc.array(reviewArb, { maxLength: 16 }).map((rs) =>
  rs.map((r, i): ReviewFact => ({
    id: 1_000 + i,
    login: recase(r.who, r.caseMask),
    userType: isBotLogin(r.who) ? "Bot" : "User",
    state: r.state,
    commitId: r.onHead ? HEAD : OLD,
    submittedAt: r.state === "PENDING" ? null : new Date(T0 + r.minute * 60_000).toISOString(),
  })),
);
const authorArb = fc.tuple(fc.constantFrom("rita-release", "ana-owner", "pat-pm", "dora-db"), fc.nat()).map(([a, mask]) => recase(a, mask));
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

describe("sign-off evaluation, fuzzed with random review histories", () => {
  it("two gates apply: the GA phase gate and the OWNERS line for *.sql", () => {
    expect(evaluate("rita-release", []).gates.map((g) => g.gate.kind).sort()).toEqual(["owners", "phase"]);
  });

  it("the order GitHub lists reviews in does not matter", () => {
    fc.assert(
      fc.property(authorArb, historyArb, fc.nat(), (author, history, seed) => {
        const shuffled = [...history].sort((a, b) => ((a.id * 2654435761 + seed) % 97) - ((b.id * 2654435761 + seed) % 97));
        expect(decision(evaluate(author, shuffled))).toEqual(decision(evaluate(author, history)));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it("the author's reviews and bots' reviews (by login or by account type) never count: removing them changes nothing", () => {
    fc.assert(
      fc.property(authorArb, historyArb, (author, history) => {
        const full = decision(evaluate(author, history));
        expect(decision(evaluate(author, history.filter((r) => !same(r.login, author))))).toEqual(full);
        expect(decision(evaluate(author, history.filter((r) => r.userType !== "Bot" && !r.login.toLowerCase().endsWith("[bot]"))))).toEqual(full);
        for (const g of evaluate(author, history).gates) {
          for (const s of g.signers) {
            if (s.signedBy) {
              expect(same(s.signedBy, author)).toBe(false);
              expect(isBotLogin(s.signedBy.toLowerCase())).toBe(false);
            }
          }
        }
      }),
      { seed: SEED + 1, numRuns: RUNS },
    );
  });

  it("a stale approval (an older commit) never signs: adding one before a reviewer's reviews, or for someone who has none, changes nothing", () => {
    fc.assert(
      fc.property(authorArb, historyArb, fc.constantFrom(...HOLDERS), (author, history, who) => {
        const earliest = Math.min(T0, ...history.filter((r) => same(r.login, who) && r.submittedAt).map((r) => Date.parse(r.submittedAt!)));
        const stale: ReviewFact = { id: 1, login: who, userType: "User", state: "APPROVED", commitId: OLD, submittedAt: new Date(earliest - 60_000).toISOString() };
        expect(decision(evaluate(author, [stale, ...history]))).toEqual(decision(evaluate(author, history)));
      }),
      { seed: SEED + 2, numRuns: RUNS },
    );
  });

  it("only each reviewer's latest decisive review counts: inserting reviews before it changes nothing", () => {
    fc.assert(
      fc.property(authorArb, historyArb, fc.array(fc.record({ state: fc.constantFrom(...STATES), onHead: fc.boolean() }), { minLength: 1, maxLength: 4 }), (author, history, inserted) => {
        const decisive = history.filter((r) => r.submittedAt && r.state !== "PENDING" && r.state !== "COMMENTED" && !isBotLogin(r.login.toLowerCase()));
        if (decisive.length === 0) return;
        const last = decisive.reduce((a, b) => (Date.parse(b.submittedAt!) > Date.parse(a.submittedAt!) || (b.submittedAt === a.submittedAt && b.id > a.id) ? b : a));
        const firstOfTheirs = Math.min(...history.filter((r) => same(r.login, last.login) && r.submittedAt).map((r) => Date.parse(r.submittedAt!)));
        const before = inserted.map((x, i): ReviewFact => ({ id: 10 + i, login: last.login, userType: "User", state: x.state, commitId: x.onHead ? HEAD : OLD, submittedAt: x.state === "PENDING" ? null : new Date(firstOfTheirs - (inserted.length - i) * 60_000).toISOString() }));
        expect(decision(evaluate(author, [...before, ...history]))).toEqual(decision(evaluate(author, history)));
      }),
      { seed: SEED + 3, numRuns: RUNS },
    );
  });

  it("logins compare case-insensitively: re-casing every login changes nothing", () => {
    fc.assert(
      fc.property(authorArb, historyArb, fc.nat(), (author, history, mask) => {
        const recased = history.map((r, i) => ({ ...r, login: recase(r.login.toLowerCase(), mask + i) }));
        expect(decision(evaluate(recase(author.toLowerCase(), mask), recased))).toEqual(decision(evaluate(author, history)));
      }),
      { seed: SEED + 4, numRuns: RUNS },
    );
  });

  it("a required holder whose latest review requests changes blocks the pull request (veto)", () => {
    fc.assert(
      fc.property(authorArb, historyArb, fc.constantFrom("ana-owner", "ben-owner", "pat-pm", "paula-pm", "sam-sre", "sid-sre"), (author, history, who) => {
        if (same(who, author)) return;
        const veto: ReviewFact = { id: 99_999, login: who, userType: "User", state: "CHANGES_REQUESTED", commitId: OLD, submittedAt: new Date(T0 + 24 * 3600_000).toISOString() };
        const tree = evaluate(author, [...history, veto]);
        expect(tree.passed).toBe(false);
        expect(tree.gates.find((g) => g.gate.kind === "phase")?.vetoes.map((v) => v.login.toLowerCase())).toContain(who);
      }),
      { seed: SEED + 5, numRuns: RUNS },
    );
  });

  it("passing means every signer of every gate has a distinct, non-author, non-bot approver of the head whose latest decisive review is that approval", () => {
    fc.assert(
      fc.property(authorArb, historyArb, (author, history) => {
        const tree = evaluate(author, history);
        for (const g of tree.gates) {
          const signed = g.signers.flatMap((s) => (s.signedBy ? [s.signedBy.toLowerCase()] : []));
          expect(new Set(signed).size).toBe(signed.length);
          for (const who of signed) {
            const latest = history
              .filter((r) => same(r.login, who) && r.submittedAt && (r.state === "APPROVED" || r.state === "CHANGES_REQUESTED" || r.state === "DISMISSED"))
              .sort((a, b) => Date.parse(a.submittedAt!) - Date.parse(b.submittedAt!) || a.id - b.id)
              .at(-1);
            expect(latest).toMatchObject({ state: "APPROVED", commitId: HEAD });
          }
          if (g.passed) expect(signed).toHaveLength(g.signers.length);
        }
      }),
      { seed: SEED + 6, numRuns: RUNS },
    );
  });
});
