/**
 * Gathering a report's facts through a reader (no GitHub): only Charter's sealed records, read the
 * way the app reads them (later `done` markers merged, a newer episode in a later comment means the
 * record is stale); only Charter's own sign-off pull requests with a verifying request.
 */
import { describe, expect, it } from "vitest";
import { encodeDone, encodeState } from "../../src/core/incidents/marker.js";
import { gatherReportFacts } from "../../src/github/report/gather.js";
import type { HistoryComment, HistoryPull, HistoryReader } from "../../src/github/report/reader.js";
import { sealedRequest, TEST_IDENTITY } from "../support/identity.js";
import { incident } from "./support.js";

const REPO = { owner: "acme", repo: "ingestion" };
const SEALING = { keys: TEST_IDENTITY.keys, repo: "acme/ingestion" };
const CHARTER = { user: { login: "charter[bot]", type: "Bot" }, performed_via_github_app: { id: 1 } };
const PERSON = (login: string) => ({ user: { login, type: "User" }, performed_via_github_app: null });

function comment(id: number, issue: number, body: string, who: Pick<HistoryComment, "user" | "performed_via_github_app">, at = "2025-06-02T12:00:00Z"): HistoryComment {
  return { id, issue_url: `https://api.github.com/repos/acme/ingestion/issues/${issue}`, body, created_at: at, updated_at: at, ...who };
}

function reader(comments: HistoryComment[], pulls: HistoryPull[] = []): HistoryReader {
  return { comments: async () => comments, closedPulls: async () => pulls, reviews: async () => [], log: async () => undefined };
}

const since = new Date("2025-06-01T00:00:00Z");

describe("gatherReportFacts", () => {
  const state = incident({ issue: 12, openedAt: "2025-06-02T10:00:00Z", pages: [{ people: ["olga"], at: "2025-06-02T10:00:00Z" }] });

  it("merges what Charter's later comments record as done (a page whose state write was lost)", async () => {
    const { facts, notes } = await gatherReportFacts(
      reader([comment(1, 12, `status\n\n${encodeState(state, SEALING)}`, CHARTER), comment(2, 12, `📟 paged\n\n${encodeDone({ keys: ["s1.1"], episode: 1, gen: 1 }, SEALING, 12)}`, CHARTER, "2025-06-02T10:15:00Z")]),
      TEST_IDENTITY,
      REPO,
      since,
    );
    expect(notes).toEqual([]);
    expect(facts.incidents[0]!.pages.map((p) => [p.key, p.at])).toEqual([
      ["s1.0", "2025-06-02T10:00:00Z"],
      ["s1.1", "2025-06-02T10:15:00Z"],
    ]);
  });

  it("a later Charter comment from a newer episode makes the record stale: not counted, and said so", async () => {
    const { facts, notes } = await gatherReportFacts(
      reader([comment(1, 12, encodeState(state, SEALING), CHARTER), comment(2, 12, encodeDone({ keys: [], episode: 2, gen: 2 }, SEALING, 12), CHARTER)]),
      TEST_IDENTITY,
      REPO,
      since,
    );
    expect(facts.incidents).toEqual([]);
    expect(notes).toEqual(["#12 not counted: Charter's later comments record a newer episode than its status comment (the record is not the latest)"]);
  });

  it("a done marker in a person's comment adds nothing", async () => {
    const { facts } = await gatherReportFacts(
      reader([comment(1, 12, encodeState(state, SEALING), CHARTER), comment(2, 12, encodeDone({ keys: ["s1.1"], episode: 1, gen: 1 }, SEALING, 12), PERSON("mallory"))]),
      TEST_IDENTITY,
      REPO,
      since,
    );
    expect(facts.incidents[0]!.pages.map((p) => p.key)).toEqual(["s1.0"]);
  });

  it("sign-off requests: Charter's bot with a verifying seal counts; an edited request is named; a person's copy is ignored", async () => {
    const request = { kind: "advance" as const, issue: 3, by: "pat", from: "P3", to: "P4" };
    const pr = (number: number, login: string, type: string, body: string): HistoryPull => ({
      number,
      user: { login, type },
      body,
      created_at: "2025-06-02T08:00:00Z",
      updated_at: "2025-06-03T08:00:00Z",
      merged_at: "2025-06-03T08:00:00Z",
      head: { ref: "charter/advance-p4-1", sha: "a".repeat(40) },
    });
    const good = sealedRequest(request, "charter/advance-p4-1");
    const { facts, notes } = await gatherReportFacts(
      reader([], [pr(1, "charter[bot]", "Bot", good), pr(2, "charter[bot]", "Bot", good.replace('"P4"', '"P5"')), pr(3, "mallory", "User", good)]),
      TEST_IDENTITY,
      REPO,
      since,
    );
    expect(facts.pulls.map((p) => [p.number, p.request])).toEqual([[1, request]]);
    expect(notes).toEqual(["pull request #2 not counted: the request marker's seal does not match (the description was edited, or the marker was copied from elsewhere)"]);
  });
});
