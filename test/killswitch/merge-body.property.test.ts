/**
 * Property (hardening issue #10, item 11): what merging a Charter kill-switch pull request does
 * (the state written to `governance/state/` on the default branch, the pending approvals in it,
 * the log, the reply and where it goes) is decided by Charter's sealed request and the merged
 * files, never by text someone else writes.
 *
 * Two real Charter pull requests are made through the app and the fake GitHub (as in
 * merge-trust.test.ts): an owner-signed `workspace:acme` resume while `global` waits for the
 * Owner's approval (the attack of item 11), and a planned-maintenance activation of `global`
 * (whose merge writes a follow-up: `since` and the approval's time become the merge's). Their
 * descriptions and titles are then edited at random: text mixing markers made from the sealed
 * marker Charter wrote (kind, scope, requester or issue changed, re-encoded, pasted twice, inside
 * HTML comments and code, zero-width characters, lookalike characters, another pull request's or
 * repository's genuine seal), mentions, HTML comments, unicode. For every edit:
 *
 * - while Charter's marker is still the description's first request marker, the merge does
 *   exactly what it does with the description Charter wrote;
 * - otherwise Charter does not act: the default branch holds exactly the merged files (no
 *   follow-up, approvals as merged), nothing is said on the issue and nobody is notified; a marker
 *   that does not verify is refused on the pull request, in the words of merge-trust.test.ts (a
 *   deleted marker is not refused but passed over in silence: the known gap at the end of the file).
 *
 * "Exactly the original merge" cannot hold for every edit: an edited marker makes Charter refuse
 * (fail closed), so the reply, and for an activation the follow-up, differ from the original's.
 *
 * And a pull request someone else opened (a person, another app, a lookalike of Charter's login)
 * from Charter's very branch, carrying Charter's marker copied verbatim (its seal verifies), is
 * never Charter's request, whatever else its description says.
 *
 * The decision is taken at two levels: the pure core the handler composes (decodeRequest, then
 * closedPullVerdict, then planClosed on the merged governance; hundreds of runs), and the real app
 * (Probot, src/handlers/killswitch.ts, the fake GitHub; fewer runs), where each run's outcome must
 * also equal the core's, so the fast level cannot drift from the handler.
 */
import fc from "fast-check";
import nock from "nock";
import { beforeAll, describe, expect, it } from "vitest";
import { closedPullVerdict } from "../../src/core/killswitch/foreign.js";
import { planClosed } from "../../src/core/killswitch/merged.js";
import type { StateFileName } from "../../src/core/killswitch/state-text.js";
import type { Governance } from "../../src/core/model/governance.js";
import { decodeRequest, requestScope, type RequestMarker } from "../../src/core/trust/request.js";
import { isCharterUser, type UserLike } from "../../src/github/identity.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import * as o from "../emulator/objects.js";
import { requestIn, sealedRequest, TEST_IDENTITY } from "../support/identity.js";
import { FULL, type FakeGitHub, type PullRecord } from "./fake-github.js";
import { useNock, world, type World } from "./harness.js";
import { closedEvent, type ClosedOptions } from "./payloads.js";

/** How every request marker starts (src/core/trust/request.ts). */
const OPENER = "<!-- charter:request ";
const STATE_FILES: StateFileName[] = ["state/killswitch.yml", "state/log.yml", "state/phase.yml"];

/** What a merge did: the state files on the default branch afterwards, and what Charter said where. */
interface Outcome {
  state: Record<string, string | undefined>;
  comments: { on: number; body: string }[];
}

/** A closed pull request as the handler sees it. */
interface ClosedPull {
  number: number;
  head: string;
  body: string;
  title: string;
  author: Author;
}

/** Who opened a pull request, as GitHub shows them. */
interface Author extends UserLike {
  type: "User" | "Bot";
}

/** A Charter pull request made through the app, merged in the fake, frozen just before Charter hears of the merge. */
interface Scenario {
  name: string;
  w: World;
  pr: PullRecord;
  /** The sealed marker line Charter wrote (the description's first line). */
  marker: string;
  request: RequestMarker;
  merge: ClosedOptions;
  /** The default branch's governance files right after the merge. */
  merged: Record<string, string>;
  governance: Governance;
  now: Date;
  /** Put the fake back as it was right after the merge. */
  restore(): void;
}

/** The default branch's governance files (paths relative to governance/). */
function filesOn(fake: FakeGitHub, branch = "main"): Record<string, string> {
  const commit = fake.git.getCommit(fake.branches.get(branch)!)!;
  return Object.fromEntries([...commit.files].map(([path, blob]) => [path.replace(/^governance\//, ""), fake.git.blob(blob)!]));
}

function freeze(fake: FakeGitHub): () => void {
  const branches = new Map(fake.branches);
  const pulls = fake.pulls.map((p) => ({ ...p }));
  const counts = { comments: fake.comments.length, reactions: fake.reactions.length, checkRuns: fake.checkRuns.length };
  return () => {
    fake.branches.clear();
    for (const [name, sha] of branches) fake.branches.set(name, sha);
    fake.pulls.splice(0, fake.pulls.length, ...pulls.map((p) => ({ ...p })));
    fake.comments.length = counts.comments;
    fake.reactions.length = counts.reactions;
    fake.checkRuns.length = counts.checkRuns;
    fake.reset();
  };
}

async function scenario(name: string, make: (w: World) => Promise<void>, merge: ClosedOptions): Promise<Scenario> {
  nock.cleanAll();
  const w = await world();
  await make(w);
  const pr = w.fake.pulls.at(-1)!;
  const decoded = requestIn(pr);
  if (!decoded?.ok) throw new Error(`${name}: Charter's pull request carries no verifying request`);
  const marker = pr.body.split("\n")[0]!;
  expect(marker.startsWith(OPENER)).toBe(true);
  w.fake.merge(pr.number);
  const merged = filesOn(w.fake);
  const loaded = await loadGovernance(memorySource(merged, "governance"));
  if (!loaded.ok) throw new Error(`${name}: the merged governance does not load`);
  return { name, w, pr: { ...pr }, marker, request: decoded.request, merge, merged, governance: loaded.governance, now: w.app.clock.now(), restore: freeze(w.fake) };
}

let resume: Scenario;
let activation: Scenario;

beforeAll(async () => {
  nock.disableNetConnect();
  // item 11's world: `workspace:acme` active for 90 minutes, `global` waiting for the Owner's approval; on-call asks to resume acme
  resume = await scenario(
    "resume",
    async (w) => {
      await w.say("olga-oncall", "/killswitch activate workspace:acme error-rate-20 acme uploads failing");
      w.app.clock.advanceMinutes(90);
      await w.say("omar-oncall", "/killswitch activate global error-rate-10 error rate 12%");
      await w.say("olga-oncall", '/killswitch resume workspace:acme --verified "Test upload passes" --verified "Metrics check"');
    },
    { merged: true, mergedBy: "ana-owner", mergedAt: "2025-06-02T11:35:00Z" },
  );
  expect(resume.request).toEqual({ kind: "resume", issue: 7, by: "olga-oncall", scope: "workspace:acme" });
  expect(resume.merged["state/killswitch.yml"]).toContain("status: pending");
  // the Owner plans maintenance: a pull request for the PM; merged, `since` becomes the merge time
  activation = await scenario(
    "activation",
    async (w) => {
      await w.say("ana-owner", "/killswitch activate global planned-maintenance database migration");
    },
    { merged: true, mergedBy: "pat-pm", mergedAt: "2025-06-03T02:00:00Z" },
  );
  expect(activation.request).toEqual({ kind: "activate", issue: 7, by: "ana-owner", scope: "global" });
  nock.cleanAll();
});

// ------------------------------------------------------------------------------- the decision

/** The handler's decision (src/handlers/killswitch.ts, `pull_request.closed`) from the core functions it composes. */
function decide(s: Scenario, pull: ClosedPull): Outcome {
  const silent: Outcome = { state: pick(s.merged), comments: [] };
  if (!pull.head.startsWith("charter/") && !pull.body.includes(OPENER)) return silent;
  const decoded = decodeRequest(pull.body, TEST_IDENTITY.keys, requestScope(FULL, pull.head));
  const verdict = closedPullVerdict({
    merged: true,
    headRef: pull.head,
    headRepo: FULL,
    baseRef: "main",
    repoFullName: FULL,
    defaultBranch: "main",
    author: pull.author.login,
    byCharter: isCharterUser(TEST_IDENTITY, pull.author),
    charterLogin: TEST_IDENTITY.botLogin,
    marker: !decoded ? { kind: "none" } : decoded.ok ? { kind: "verified" } : { kind: "invalid", reason: decoded.reason },
  });
  if (verdict.kind === "ignore") return silent;
  if (verdict.kind === "refuse") return { ...silent, comments: [{ on: pull.number, body: verdict.comment }] };
  if (!decoded?.ok) throw new Error("closedPullVerdict acted on a marker that does not verify");
  const marker = decoded.request;
  const outcome = planClosed(s.governance, {
    marker,
    number: pull.number,
    url: `https://github.com/${FULL}/pull/${pull.number}`,
    merged: true,
    ...(s.merge.mergedBy ? { mergedBy: s.merge.mergedBy } : {}),
    ...(s.merge.mergedAt ? { mergedAt: new Date(s.merge.mergedAt) } : {}),
    ...(marker.rollbackType ? { rollbackType: marker.rollbackType } : {}),
  }, s.now);
  const files: Record<string, string | undefined> = { ...s.merged };
  for (const edit of outcome.edits) files[edit.file] = edit.edit(files[edit.file]);
  return { state: pick(files), comments: [{ on: marker.issue, body: outcome.comment }] };
}

const pick = (files: Record<string, string | undefined>) => Object.fromEntries(STATE_FILES.map((f) => [f, files[f]]));

/** The same, through the real app: Charter hears of the merge (a fresh process) and the fake records what it did. */
async function deliver(s: Scenario, pull: ClosedPull): Promise<Outcome & { writes: string[] }> {
  s.restore();
  const fake = s.w.fake;
  let record = fake.pulls.find((p) => p.number === pull.number);
  if (!record) {
    record = { ...s.pr, number: pull.number, state: "closed" };
    fake.pulls.push(record);
  }
  record.body = pull.body;
  record.title = pull.title;
  const before = fake.comments.length;
  await s.w.restart();
  const payload = closedEvent(fake, record, s.merge);
  (payload.pull_request as Record<string, unknown>).user = o.user({ login: pull.author.login, type: pull.author.type });
  await s.w.app.receive("pull_request", payload);
  return {
    state: pick(filesOn(fake)),
    comments: fake.comments.slice(before).map((c) => ({ on: c.issue, body: c.body })),
    writes: fake.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`),
  };
}

const CHARTER: Author = { login: "charter[bot]", type: "Bot" };
const charterPull = (s: Scenario, edit: { body: string; title: string }): ClosedPull => ({ number: s.pr.number, head: s.pr.head, author: CHARTER, ...edit });

// ------------------------------------------------------------------------------- the text

/** Charter's JSON of a request (src/core/trust/request.ts), to re-encode a changed one. */
function json(m: Record<string, unknown>): string {
  const ordered: Record<string, unknown> = {};
  for (const k of ["kind", "issue", "by", "scope", "from", "to", "rollbackType", "people", "change"]) if (m[k] !== undefined) ordered[k] = m[k];
  return JSON.stringify(ordered).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026");
}

const ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e"];
/** Characters of a marker and their lookalikes. */
const LOOKALIKES: [string, string][] = [
  ["<", "\uff1c"], ["<", "\u2039"], ["!", "\uff01"], ["-", "\u2010"], ["-", "\u2212"], ["-", "\u2013"], [" ", "\u00a0"], [" ", "\u2002"],
  ["c", "\u0441"], ["a", "\u0430"], ["e", "\u0435"], ["o", "\u043e"], ["r", "\u0433"], [":", "\uff1a"], ['"', "\u201c"], ["=", "\uff1d"], [">", "\uff1e"],
];

const insertAt = (text: string, at: number, what: string) => {
  const i = at % (text.length + 1);
  return text.slice(0, i) + what + text.slice(i);
};

/** Markers made from Charter's own: copies, changes, re-encodings, disguises, other places' genuine seals. */
function markerTexts(s: Scenario, other: Scenario): fc.Arbitrary<string> {
  const m = s.marker;
  const inner = m.slice(OPENER.length, -" -->".length);
  const at = inner.lastIndexOf(" seal=");
  const payload = inner.slice(0, at);
  const seal = inner.slice(at + " seal=".length);
  const withSeal = (p: string, sl: string) => `${OPENER}${p} seal=${sl} -->`;
  const changed = fc
    .record(
      {
        kind: fc.constantFrom("resume", "activate", "rollback", "advance", "swap", "override"),
        issue: fc.constantFrom(1, 7, 8, s.pr.number),
        by: fc.constantFrom("olga-oncall", "omar-oncall", "ana-owner", "mallory", "charter[bot]"),
        scope: fc.constantFrom("global", "workspace:acme", "workspace:globex", "*"),
        to: fc.constantFrom("P2", "P4"),
        rollbackType: fc.constantFrom("emergency", "p1-incident"),
      },
      { requiredKeys: [] },
    )
    .map((change) => withSeal(json({ ...s.request, ...change }), seal));
  const reencoded = fc.constantFrom(
    withSeal(JSON.stringify(JSON.parse(payload), null, 1), seal),
    withSeal(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(payload) as object).reverse())), seal),
    withSeal(payload.replace(/"kind"/, '"\\u006bind"'), seal),
    withSeal(payload.replace(/:/g, ": "), seal),
    withSeal(`${payload} `, seal),
    withSeal(` ${payload}`, seal),
    withSeal(payload, seal.toUpperCase()),
    withSeal(payload, seal.slice(1)),
    withSeal(payload, `${seal}A`),
    withSeal(payload, "unsealed"),
    withSeal(payload, `${seal} seal=${seal}`),
    `${OPENER}${payload} -->`,
    `${OPENER}${payload} seal=${seal}`,
    m.replace(" -->", "-->"),
    m.replace("<!-- ", "<!--"),
    m.replace("charter:request", "CHARTER:REQUEST"),
    m.replace(/</g, "&lt;"),
  );
  const flipped = fc.tuple(fc.nat(), fc.constantFrom(..."AZaz09-_")).map(([i, c]) => {
    const k = i % seal.length;
    return withSeal(payload, seal.slice(0, k) + (seal[k] === c ? "B" : c) + seal.slice(k + 1));
  });
  const genuineElsewhere = fc.constantFrom(
    other.marker, // the other Charter pull request's marker, verbatim: a genuine seal for another branch
    sealedRequest(s.request, `${s.pr.head}-2`),
    sealedRequest(s.request, s.pr.head, "acme/other"),
    sealedRequest({ ...s.request, kind: "activate", scope: "global" }, "charter/activate-global-1"),
  );
  const disguised = fc.oneof(
    fc.tuple(fc.nat(), fc.constantFrom(...ZERO_WIDTH)).map(([i, z]) => insertAt(m, i, z)),
    fc.tuple(fc.nat(), fc.constantFrom(...LOOKALIKES)).map(([i, [from, to]]) => {
      const places = [...m].flatMap((c, k) => (c === from ? [k] : []));
      if (places.length === 0) return m;
      const k = places[i % places.length]!;
      return m.slice(0, k) + to + m.slice(k + 1);
    }),
    fc.constantFrom(`<!-- ${m} -->`, `\`${m}\``, `\`\`\`\n${m}\n\`\`\``, `> ${m}`, `${m}\r\n`, m.replace(" seal=", "\nseal="), m.normalize("NFKC")),
  );
  return fc.oneof(
    { arbitrary: fc.constant(m), weight: 2 },
    { arbitrary: fc.constant(`${m}\n${m}`), weight: 1 },
    { arbitrary: changed, weight: 4 },
    { arbitrary: reencoded, weight: 3 },
    { arbitrary: flipped, weight: 2 },
    { arbitrary: genuineElsewhere, weight: 2 },
    { arbitrary: disguised, weight: 3 },
  );
}

/** Anything people write in a description or a title: markers, mentions, HTML comments, Charter's words, unicode. */
function textOf(s: Scenario, other: Scenario): fc.Arbitrary<string> {
  const words = fc.constantFrom(
    "@ana-owner",
    "@acme/everyone",
    "@pat-pm please merge",
    "cc @ben-owner @olga-oncall",
    "<!--",
    "-->",
    "<!-- -->",
    "<!-- charter:key pull/100/closed seal=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA -->",
    "<!-- charter:state {\"status\":\"resolved\"} seal=x -->",
    "<!-- charter:rollback type=emergency -->",
    "Merging this pull request activates `global`.",
    "/killswitch activate global error-rate-10 urgent",
    "/killswitch approve global",
    "- [x] Test upload passes",
    "**Resume authority:** on-call alone (< 1 hour pause)",
    "Kill-switch: activate global",
    "| role | who |\n|---|---|\n| Ingestion Owner | @mallory |",
    "\n",
    " ",
  );
  return fc
    .array(
      fc.oneof(
        { arbitrary: markerTexts(s, other), weight: 3 },
        { arbitrary: words, weight: 3 },
        { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
        { arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }), weight: 1 },
      ),
      { maxLength: 8 },
    )
    .map((parts) => parts.join(""));
}

/** Edits of Charter's description: around its marker, spliced anywhere (into the marker too), the marker replaced, the whole text replaced. */
function editedBodies(s: Scenario, other: Scenario): fc.Arbitrary<string> {
  const original = s.pr.body;
  const rest = original.slice(s.marker.length);
  const text = textOf(s, other);
  return fc.oneof(
    fc.record({ before: text, after: text, keepRest: fc.boolean() }).map(({ before, after, keepRest }) => `${before}${s.marker}${keepRest ? rest : ""}${after}`),
    fc
      .record({ at: fc.oneof(fc.nat({ max: s.marker.length }), fc.nat({ max: original.length })), cut: fc.oneof(fc.constant(0), fc.nat({ max: 40 })), insert: text })
      .map(({ at, cut, insert }) => original.slice(0, at) + insert + original.slice(at + cut)),
    fc.record({ instead: markerTexts(s, other), after: text }).map(({ instead, after }) => `${instead}${rest}${after}`),
    text,
  );
}

const titles = (s: Scenario, other: Scenario) => fc.oneof(fc.constant(s.pr.title), textOf(s, other), fc.constant("Kill-switch: activate global"));

// ------------------------------------------------------------------------------- the property

type Kind = "charter's marker first" | "marker that does not verify" | "no marker";

/** Which edit this is, read from the text alone (not from the code under test). */
function kindOf(s: Scenario, body: string): Kind {
  const first = body.indexOf(OPENER);
  if (first < 0) return "no marker";
  return body.startsWith(s.marker, first) ? "charter's marker first" : "marker that does not verify";
}

const NOT_ACTED = " The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check `governance/state/` on `main` by hand.";
const REFUSED_MARKER =
  /^Charter did not act on this merge: the request marker in this pull request's description (was edited, or copied from elsewhere \(its seal does not match\)|is damaged \(the request marker (is not closed|has no seal)\)), so Charter cannot tell what was requested\.$/;
const REFUSED_REMOVED = "Charter did not act on this merge: the request marker Charter put in this pull request's description was removed, so Charter cannot tell what was requested.";

/** What may happen after an edit of Charter's description: exactly the original, or Charter does not act. */
function expectAllowed(s: Scenario, kind: Kind, outcome: Outcome, original: Outcome): void {
  if (kind === "charter's marker first") {
    expect(outcome).toEqual(original);
    return;
  }
  // Charter does not act: the default branch is the merged files byte for byte (switches, approvals, log), nobody hears on the issue
  expect(outcome.state).toEqual(pick(s.merged));
  expect(outcome.comments).toHaveLength(1);
  expect(outcome.comments[0]!.on).toBe(s.pr.number);
  expect(outcome.comments[0]!.body.endsWith(NOT_ACTED)).toBe(true);
  const refusal = outcome.comments[0]!.body.slice(0, -NOT_ACTED.length);
  if (kind === "no marker") expect(refusal).toBe(REFUSED_REMOVED);
  else expect(refusal).toMatch(REFUSED_MARKER);
}

/** Authors who are not Charter: people, other apps, lookalikes of Charter's login. */
const notCharter: fc.Arbitrary<Author> = fc
  .oneof(
    fc.constantFrom<Author>(
      { login: "mallory", type: "User" },
      { login: "olga-oncall", type: "User" },
      { login: "ana-owner", type: "User" },
      { login: "charter", type: "User" },
      { login: "charter[bot]", type: "User" },
      { login: "Charter[bot]", type: "User" },
      { login: "charter-app[bot]", type: "Bot" },
      { login: "helper-app[bot]", type: "Bot" },
      { login: "github-actions[bot]", type: "Bot" },
      { login: "dependabot[bot]", type: "Bot" },
      { login: "\u0441harter[bot]", type: "Bot" },
      { login: "charter[bot]\u200b", type: "Bot" },
      { login: "charter\u2060[bot]", type: "Bot" },
      { login: "charter[b\u043et]", type: "Bot" },
    ),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).map((login): Author => ({ login, type: "User" })),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/).map((slug): Author => ({ login: `${slug}[bot]`, type: "Bot" })),
  )
  .filter((u) => !isCharterUser(TEST_IDENTITY, u));

/** A description carrying Charter's marker copied verbatim (its seal verifies on this branch), with anything around it. */
const copiedBodies = (s: Scenario, other: Scenario) => fc.record({ before: textOf(s, other), after: textOf(s, other) }).map(({ before, after }) => `${before}${s.marker}${after}`);

const ONLY_OURS = "Only pull requests Charter opens carry its requests, whatever their branch or description say.";

function expectForeignRefused(s: Scenario, number: number, outcome: Outcome): void {
  expect(outcome.state).toEqual(pick(s.merged));
  expect(outcome.comments).toHaveLength(1);
  expect(outcome.comments[0]!.on).toBe(number);
  expect(outcome.comments[0]!.body).toMatch(/^Charter did not act on this merge: this pull request was opened by .+, not by Charter \(`charter\[bot\]`\)\. /);
  expect(outcome.comments[0]!.body).toBe(`${outcome.comments[0]!.body.split(" Only pull requests")[0]!} ${ONLY_OURS}${NOT_ACTED}`);
}

const FOREIGN = 901;

describe("#10 item 11, property: merging a Charter kill-switch pull request does what Charter's sealed request and the merged files say, whatever anyone writes in its description or title", () => {
  useNock();

  for (const [name, seed] of [["resume", 7_011_101], ["activation", 7_011_201]] as const) {
    const pair = () => (name === "resume" ? ([resume, activation] as const) : ([activation, resume] as const));

    it(`the ${name} pull request, description and title edited at random (core, 400 runs): exactly the original merge while Charter's marker comes first, else Charter does not act`, () => {
      const [s, other] = pair();
      const original = decide(s, charterPull(s, { body: s.pr.body, title: s.pr.title }));
      expect(original.comments).toEqual([{ on: 7, body: expect.stringMatching(name === "resume" ? /^@olga-oncall the kill-switch `workspace:acme` is \*\*resumed\*\*/ : /^@ana-owner the kill-switch `global` is \*\*active\*\* since 2025-06-03T02:00:00Z/) }]);
      if (name === "activation") expect(original.state["state/killswitch.yml"]).not.toBe(s.merged["state/killswitch.yml"]); // the follow-up
      const seen: Record<Kind, number> = { "charter's marker first": 0, "marker that does not verify": 0, "no marker": 0 };
      fc.assert(
        fc.property(editedBodies(s, other), titles(s, other), (body, title) => {
          const kind = kindOf(s, body);
          seen[kind]++;
          expectAllowed(s, kind, decide(s, charterPull(s, { body, title })), original);
        }),
        { seed, numRuns: 400 },
      );
      expect(seen["charter's marker first"]).toBeGreaterThan(60);
      expect(seen["marker that does not verify"]).toBeGreaterThan(120);
      expect(seen["no marker"]).toBeGreaterThan(5);
    });

    it(`the ${name} pull request, description and title edited at random, through the app (100 runs): the same, and the same as the core`, async () => {
      const [s, other] = pair();
      nock.cleanAll();
      s.w.fake.install();
      const { writes: originalWrites, ...original } = await deliver(s, charterPull(s, { body: s.pr.body, title: s.pr.title }));
      expect(original).toEqual(decide(s, charterPull(s, { body: s.pr.body, title: s.pr.title })));
      const seen = new Set<Kind>();
      await fc.assert(
        fc.asyncProperty(editedBodies(s, other), titles(s, other), async (body, title) => {
          const kind = kindOf(s, body);
          seen.add(kind);
          const pull = charterPull(s, { body, title });
          const { writes, ...outcome } = await deliver(s, pull);
          expect(outcome).toEqual(decide(s, pull));
          expectAllowed(s, kind, outcome, original);
          if (kind === "charter's marker first") expect(writes).toEqual(originalWrites);
          else expect(writes.every((w) => w === `POST /repos/${FULL}/issues/${s.pr.number}/comments`)).toBe(true);
        }),
        { seed: seed + 1, numRuns: 100 },
      );
      expect([...seen].sort()).toEqual(["charter's marker first", "marker that does not verify", "no marker"].sort());
    });

    it(`a pull request someone else opened from the ${name}'s branch with Charter's marker copied verbatim (core, 300 runs): never Charter's request`, () => {
      const [s, other] = pair();
      expect(decodeRequest(s.marker, TEST_IDENTITY.keys, requestScope(FULL, s.pr.head))).toMatchObject({ ok: true }); // the copy verifies
      fc.assert(
        fc.property(copiedBodies(s, other), titles(s, other), notCharter, (body, title, author) => {
          expectForeignRefused(s, FOREIGN, decide(s, { number: FOREIGN, head: s.pr.head, body, title, author }));
        }),
        { seed: seed + 2, numRuns: 300 },
      );
    });

    it(`a pull request someone else opened from the ${name}'s branch with Charter's marker copied verbatim, through the app (30 runs): never Charter's request, and the same as the core`, async () => {
      const [s, other] = pair();
      nock.cleanAll();
      s.w.fake.install();
      await fc.assert(
        fc.asyncProperty(copiedBodies(s, other), titles(s, other), notCharter, async (body, title, author) => {
          const pull = { number: FOREIGN, head: s.pr.head, body, title, author };
          const { writes, ...outcome } = await deliver(s, pull);
          expect(outcome).toEqual(decide(s, pull));
          expectForeignRefused(s, FOREIGN, outcome);
          expect(writes).toEqual([`POST /repos/${FULL}/issues/${FOREIGN}/comments`]);
        }),
        { seed: seed + 3, numRuns: 30 },
      );
    });
  }

  // A writer who deletes the marker rather than editing it: the merge is refused on the pull request
  // too (Charter's activation, resume, rollback and advance branches always carry a request), so
  // somebody hears that nothing was confirmed and nobody was notified.
  it("deleting (not editing) the request marker of Charter's resume pull request is refused on the pull request, as an edited marker is", async () => {
    nock.cleanAll();
    resume.w.fake.install();
    const outcome = await deliver(resume, charterPull(resume, { body: resume.pr.body.slice(resume.marker.length), title: resume.pr.title }));
    expect(outcome.state).toEqual(pick(resume.merged));
    expect(outcome.comments).toEqual([{ on: resume.pr.number, body: expect.stringMatching(/^Charter did not act on this merge: /) }]);
  });
});
