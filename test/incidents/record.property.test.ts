/**
 * Property (hardening issue #10): for random comment and body text (markers, HTML comments,
 * mentions, unicode, verbatim copies of Charter's own sealed comments), nothing an actor other than
 * Charter writes changes Charter's recovered incident state or any incident authority decision.
 *
 * Charter's genuine comments on a D9 P1 incident are made with the real core (opening, then the
 * +15 pass) and sealed with the test key. Around them, people (with and without access), other
 * apps and workflows post anything; Charter's record is read back with the real loader
 * (src/github/incidents/store.ts) through a stub client, and every authority decision is taken
 * from it. Edits of Charter's own comments (anyone with write access can make them) may only make
 * the record unverifiable (then Charter restarts it, never paging fewer), never a different record.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { incidentCommandAuthority, INCIDENT_COMMANDS } from "../../src/core/incidents/authority.js";
import { encodeDone, encodeState } from "../../src/core/incidents/marker.js";
import { statusCommentBody } from "../../src/core/incidents/messages.js";
import { planPass } from "../../src/core/incidents/pass.js";
import { charterAssigned, type IncidentState } from "../../src/core/incidents/state.js";
import { openIncident } from "../../src/core/incidents/transitions.js";
import type { Governance } from "../../src/core/model/governance.js";
import type { GitHubClient } from "../../src/github/client.js";
import { IncidentCaches } from "../../src/github/incidents/cache.js";
import { loadState, type LoadedState } from "../../src/github/incidents/store.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../support/governance-mock.js";
import { TEST_IDENTITY } from "../support/identity.js";

const REPO = { owner: "acme", repo: "ingestion" };
const SEALING = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };
const T0 = new Date("2025-06-04T10:00:00Z");
const ISSUE = 12;

interface Comment {
  id: number;
  body: string;
  created_at: string;
  user: { login: string; type: string };
  performed_via_github_app: { id: number; slug: string } | null;
  author_association: string;
}

const charter = (id: number, body: string, minute: number): Comment => ({
  id,
  body,
  created_at: new Date(T0.getTime() + minute * 60_000).toISOString(),
  user: { login: "charter[bot]", type: "Bot" },
  performed_via_github_app: { id: 1, slug: "charter" },
  author_association: "NONE",
});

/** A client whose only answer is the issue's comments (no cache: the loader lists them). */
function stub(comments: Comment[]): GitHubClient {
  return {
    request: () => Promise.reject(Object.assign(new Error("not here"), { status: 404 })),
    paginate: () => Promise.resolve(comments),
  } as unknown as GitHubClient;
}

const read = (comments: Comment[]): Promise<LoadedState> => loadState(stub(comments), { identity: TEST_IDENTITY, repo: REPO }, ISSUE, new IncidentCaches());

const loaded = await loadGovernance(memorySource(d9Files(), "governance"));
if (!loaded.ok) throw new Error("D9 governance must load");
const g: Governance = loaded.governance;
const inc = g.incidents!;

/** Charter's genuine comments: the status comment (as written after the +15 pass) and the +15 page, both sealed. */
function genuine(): { comments: Comment[]; state: IncidentState; other: string[] } {
  const opened = openIncident({ g, now: T0 }, { inc, issue: { number: ISSUE, title: "Ingestion down", author: "rita" }, severity: "P1", openedAt: T0, zone: "Europe/Berlin" });
  const at15 = new Date(T0.getTime() + 15 * 60_000);
  const pass = planPass({ g, now: at15 }, opened.state);
  const page = `${pass.lines.join("\n")}\n\n${encodeDone({ ...pass.done, episode: 1, gen: 1 }, SEALING, ISSUE)}`;
  // sealed markers of another incident and another repository: genuine seals, wrong place
  const elsewhere = openIncident({ g, now: T0 }, { inc, issue: { number: 13, title: "Other", author: "rita" }, severity: "P1", openedAt: T0, zone: "Europe/Berlin" });
  const other = [
    encodeState(elsewhere.state, SEALING),
    encodeState({ ...pass.state, acks: [{ by: "mallory", at: at15.toISOString(), episode: 1 }] }, { ...SEALING, repo: "acme/other" }),
    encodeDone({ keys: ["s1.2", "s1.3"], episode: 1, gen: 1 }, SEALING, 13),
  ];
  return { comments: [charter(9001, statusCommentBody(pass.state, SEALING), 0), charter(9002, page, 15)], state: pass.state, other };
}

const base = genuine();
const acked = base.comments[0]!.body.replace('"acks":[]', `"acks":[{"by":"mallory","at":"2025-06-04T10:16:00.000Z","episode":1}]`);

/** What people and other apps paste: hostile text, markers forged or copied from Charter, mentions, unicode. */
const fragment = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "<!--",
    "-->",
    "<!-- charter:incident ",
    " seal=",
    ' -->',
    '<!-- charter:done {"keys":["s1.1","s1.2","s1.3"],"ackNoticed":1,"episode":9,"gen":9} -->',
    '<!-- charter:incident {"v":1,"issue":12} seal=unsealed -->',
    "@acme/everyone",
    "@ana-owner",
    "/ack",
    "\u202e",
    "\u200b",
    "```",
    ...base.comments.map((c) => c.body),
    ...base.other,
    acked,
  ),
);
const text = fc.array(fragment, { maxLength: 6 }).map((parts) => parts.join(""));

/** Someone who is not Charter: a person (any access), another app, a workflow, or a user whose login merely looks like Charter's bot. */
const author = fc.constantFrom(
  { login: "mallory", type: "User", app: null, association: "MEMBER" },
  { login: "stranger", type: "User", app: null, association: "NONE" },
  { login: "olga-oncall", type: "User", app: null, association: "MEMBER" },
  { login: "helper-bot[bot]", type: "Bot", app: { id: 99, slug: "helper-bot" }, association: "NONE" },
  { login: "github-actions[bot]", type: "Bot", app: { id: 15368, slug: "github-actions" }, association: "NONE" },
  { login: "charter[bot]", type: "Bot", app: { id: 77, slug: "charter" }, association: "NONE" },
  { login: "charter-bot", type: "User", app: null, association: "CONTRIBUTOR" },
);

const others = fc.array(fc.record({ author, body: text, at: fc.integer({ min: 0, max: 40 }) }), { maxLength: 8 });

/** Charter's comments with the others interleaved by time (ids in posting order, as GitHub lists them). */
function thread(extra: { author: { login: string; type: string; app: { id: number; slug: string } | null; association: string }; body: string; at: number }[], charterComments = base.comments): Comment[] {
  const all = [
    ...charterComments.map((c) => ({ c, at: Date.parse(c.created_at) })),
    ...extra.map((e) => ({
      c: {
        id: 0,
        body: e.body,
        created_at: new Date(T0.getTime() + e.at * 60_000 + 1).toISOString(),
        user: { login: e.author.login, type: e.author.type },
        performed_via_github_app: e.author.app,
        author_association: e.author.association,
      },
      at: T0.getTime() + e.at * 60_000 + 1,
    })),
  ].sort((a, b) => a.at - b.at);
  return all.map(({ c }, i) => ({ ...c, id: c.performed_via_github_app?.id === 1 ? c.id : 20_000 + i }));
}

const ACTORS = [
  { login: "olga-oncall", association: "MEMBER" },
  { login: "omar-oncall", association: "MEMBER" },
  { login: "mallory", association: "MEMBER" },
  { login: "tina-triage", association: "MEMBER" },
  { login: "dora-db", association: "MEMBER" },
  { login: "stranger", association: "NONE" },
];
const ASSIGNEES = ["olga-oncall", "omar-oncall", "tina-triage", "mallory"]; // tina and mallory assigned themselves

const memo = new Map<string, string[]>();

/** Every incident authority decision, from a recovered record (all it depends on from the record is who Charter assigned). */
function decisions(state: IncidentState): string[] {
  const key = JSON.stringify(charterAssigned(state));
  const known = memo.get(key);
  if (known) return known;
  const at = new Date(T0.getTime() + 20 * 60_000);
  const out = INCIDENT_COMMANDS.flatMap((command) =>
    ACTORS.map((a) => {
      const v = incidentCommandAuthority(g, inc, command, a, at, { assignees: ASSIGNEES, charterAssigned: charterAssigned(state) });
      return `${command}:${a.login}:${v.ok ? "ok" : "refused"}`;
    }),
  );
  memo.set(key, out);
  return out;
}

describe("Charter's incident record against everyone else's writing (property)", async () => {
  const baseline = await read(base.comments);
  if (baseline.kind !== "found") throw new Error("the genuine record must verify");

  it("the genuine record verifies and names who Charter assigned (not the self-assigned)", () => {
    expect(baseline.state).toEqual(base.state);
    expect(charterAssigned(baseline.state)).toEqual(["olga-oncall", "omar-oncall"]);
    expect(decisions(baseline.state).filter((d) => d.startsWith("ack:"))).toEqual([
      "ack:olga-oncall:ok",
      "ack:omar-oncall:ok",
      "ack:mallory:refused",
      "ack:tina-triage:refused",
      "ack:dora-db:refused",
      "ack:stranger:refused",
    ]);
  });

  it("comments by anyone but Charter, whatever they say, change neither the recovered record nor any decision", async () => {
    await fc.assert(
      fc.asyncProperty(others, async (extra) => {
        const result = await read(thread(extra));
        expect(result).toEqual(baseline);
        if (result.kind === "found") expect(decisions(result.state)).toEqual(decisions(baseline.state));
      }),
      { numRuns: 400 },
    );
  });

  it("edits of Charter's own comments (writers can make them) never yield a different record: the same one, or one that does not verify", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1 }), text, others, async (which, body, extra) => {
        const edited = base.comments.map((c, i) => (i === which ? { ...c, body } : c));
        const result = await read(thread(extra, edited));
        if (result.kind === "found") {
          expect(result.state).toEqual(baseline.state);
          expect(decisions(result.state)).toEqual(decisions(baseline.state));
        } else expect(result.kind).toBe("tampered");
      }),
      { numRuns: 400 },
    );
  });

  it("issue bodies and titles do not enter the record: a random form body changes nothing Charter reads back", async () => {
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const withBody = thread([{ author: { login: "rita", type: "User", app: null, association: "MEMBER" }, body: `### Severity\n\nP3\n\n### Impact\n\n${body}`, at: 1 }]);
        expect(await read(withBody)).toEqual(baseline);
      }),
      { numRuns: 100 },
    );
  });
});
