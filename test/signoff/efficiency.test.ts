/**
 * What each event costs, counted request by request: (a) a pull request opened, (b) a review
 * submitted, (c) a push to the default branch touching governance/. Governance is cached by the
 * default branch's commit (one conditional request, answered 304); files by head commit; file
 * texts by blob sha; the check is written only when its output changed.
 */
import { afterEach, describe, expect, it } from "vitest";
import { d9Files } from "../support/governance-mock.js";
import { closeWorld, GA_BODY, phaseYml, SignoffWorld } from "./world.js";

afterEach(closeWorld);

const R = "/repos/acme/ingestion";
const GOVERNANCE_COLD = [
  `GET ${R}/branches/main`,
  `GET ${R}/contents/governance?ref=${"a".repeat(40)}`,
  `GET ${R}/contents/governance/state?ref=${"a".repeat(40)}`,
  ...Array<string>(8).fill("GET /git/blobs (governance file)"),
];
const normal = (requests: string[], governanceBlobs: Set<string>) => requests.map((r) => (/\/git\/blobs\/([0-9a-f]{40})$/.exec(r) && governanceBlobs.has(/([0-9a-f]{40})$/.exec(r)![1]!) ? "GET /git/blobs (governance file)" : r.replace(/\/git\/blobs\/[0-9a-f]{40}$/, "/git/blobs/<head state file>")));

/**
 * The requests as rounds: each round's requests are issued together (their order among themselves
 * is the network's), a round starts once the previous one answered. The handler's one-way data
 * flow: the reads, then the writes together at the end.
 */
function rounds(requests: string[], expected: string[][]): string[][] {
  const out: string[][] = [];
  let i = 0;
  for (const round of expected) {
    out.push([...requests.slice(i, i + round.length)].sort());
    i += round.length;
  }
  if (i < requests.length) out.push(requests.slice(i));
  return out;
}
const sorted = (expected: string[][]) => expected.map((r) => [...r].sort());

async function world() {
  const w = await SignoffWorld.create();
  const { blobSha } = await import("../emulator/git.js");
  const gov = new Set(Object.values(d9Files()).map(blobSha));
  return { w, list: () => normal(w.requests, gov) };
}

/**
 * A GA pull request proposing a phase.yml Charter has not read: the blob goes out with the reads its
 * gates could need (reviews, one listing per freezing label, the Informed comment) and Charter's
 * record on the head, read ahead because a move back from P3 would be a rollback declaring its type
 * (a GA move does not need it).
 */
const gaReadsWithProposedPhase = (pull: number, headSha: string) => [
  `GET ${R}/git/blobs/<head state file>`,
  `GET ${R}/pulls/${pull}/reviews?per_page=100`,
  `GET ${R}/issues?state=open&labels=incident&per_page=100`,
  `GET ${R}/issues?state=open&labels=severity: P1&per_page=100`,
  `GET ${R}/issues?state=open&labels=severity: P2&per_page=100`,
  `GET ${R}/issues/${pull}/comments?per_page=100`,
  `GET ${R}/commits/${headSha}/check-runs?check_name=Charter sign-off&app_id=1&filter=latest&per_page=10`,
];
const gaWrites = (pull: number) => [`POST ${R}/check-runs`, `POST ${R}/pulls/${pull}/requested_reviewers`, `POST ${R}/issues/${pull}/comments`];

describe("requests per event", () => {
  it("(a) GA pull request opened: 22 requests with a cold cache (the head's phase.yml read with the facts its gates could need, one of them unneeded), 10 once governance and the head blob are cached (1 of them a 304); the freeze reads one listing per freezing label, together", async () => {
    const { w, list } = await world();
    w.openPull({ number: 12, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    await w.pullEvent("opened", 12);
    const cold = list();
    const coldRounds = [
      GOVERNANCE_COLD,
      [`GET ${R}/pulls/12/files?per_page=100`],
      // the proposed phase.yml decides the gates: the reads they could need go out with it
      gaReadsWithProposedPhase(12, w.pulls.get(12)!.headSha),
      // the writes, together at the end
      gaWrites(12),
    ];
    expect(rounds(cold.slice(GOVERNANCE_COLD.length), coldRounds.slice(1))).toEqual(sorted(coldRounds.slice(1)));
    expect(cold.slice(0, GOVERNANCE_COLD.length)).toEqual(GOVERNANCE_COLD);
    // the same event on a second pull request, governance cached: 8 requests, 5 reads (one a 304) + 3 writes
    w.openPull({ number: 13, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    w.reset();
    await w.pullEvent("opened", 13);
    const warm = list();
    const warmRounds = [
      // the files do not depend on governance: read with the 304
      [`GET ${R}/branches/main`, `GET ${R}/pulls/13/files?per_page=100`],
      // the head's phase.yml has the same blob as #12's: read once, cached by blob sha
      [
        `GET ${R}/pulls/13/reviews?per_page=100`,
        `GET ${R}/issues?state=open&labels=incident&per_page=100`,
        `GET ${R}/issues?state=open&labels=severity: P1&per_page=100`,
        `GET ${R}/issues?state=open&labels=severity: P2&per_page=100`,
        `GET ${R}/issues/13/comments?per_page=100`,
      ],
      [`POST ${R}/check-runs`, `POST ${R}/pulls/13/requested_reviewers`, `POST ${R}/issues/13/comments`],
    ];
    expect(rounds(warm, warmRounds)).toEqual(sorted(warmRounds));
    console.log(`(a) pull request opened: ${cold.length} requests cold, ${warm.length} warm`);
  });

  it("(a') a GA pull request proposing its own phase.yml (a blob Charter never read): the check in 3 round trips, the phase.yml read with the facts its gates could need", async () => {
    const w = await SignoffWorld.create({ roundTrips: true });
    w.openPull({ number: 12, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    await w.pullEvent("opened", 12);
    w.openPull({ number: 13, files: { "governance/state/phase.yml": `${phaseYml("P4")}# proposed by #13\n` }, body: GA_BODY });
    w.reset();
    await w.pullEvent("opened", 13);
    const round = (r: string[]) => r.map((x) => x.replace(/\/git\/blobs\/[0-9a-f]{40}$/, "/git/blobs/<head state file>")).sort();
    expect(w.roundTrips.map(round)).toEqual(
      sorted([
        [`GET ${R}/branches/main`, `GET ${R}/pulls/13/files?per_page=100`],
        gaReadsWithProposedPhase(13, w.pulls.get(13)!.headSha),
        gaWrites(13),
      ]),
    );
    expect(w.lastCheck()).toMatchObject({ head_sha: w.pulls.get(13)!.headSha, status: "completed" });
  });

  it("(a'') reads made ahead that the real gates do not need change nothing: a rollback P3 → P2 during a P1 incident is not frozen (the incident listing was read ahead, and counted)", async () => {
    const w = await SignoffWorld.create({ roundTrips: true });
    w.openIncident(7, "Ingestion down", "P1");
    w.openPull({ number: 14, files: { "governance/state/phase.yml": `${phaseYml("P2")}# rollback\n` }, body: "Rollback type: planned" });
    await w.pullEvent("opened", 14);
    expect(w.requests).toContain(`GET ${R}/issues?state=open&labels=incident&per_page=100`);
    expect(w.lastCheck().output.title).not.toMatch(/frozen/i);
    expect(w.lastCheck().output.summary).not.toMatch(/incident #7/i);
    expect(w.lastCheck().output.summary).toMatch(/rollback/i);
  });

  it("(b) review submitted: reviews + check (+ incidents for a freezing gate) after the 304; nothing written when nothing changed", async () => {
    const { w, list } = await world();
    w.openPull({ number: 12, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    await w.pullEvent("opened", 12);
    w.reset();
    await w.submit(12, "ana-owner", "APPROVED");
    const ga = list();
    expect(ga).toEqual([`GET ${R}/branches/main`, `GET ${R}/pulls/12/reviews?per_page=100`, `GET ${R}/issues?state=open&labels=incident&per_page=100`, `GET ${R}/issues?state=open&labels=severity: P1&per_page=100`, `GET ${R}/issues?state=open&labels=severity: P2&per_page=100`, `POST ${R}/check-runs`]);
    w.reset();
    await w.submit(12, "random-person", "COMMENTED");
    const unchanged = list();
    expect(unchanged).toEqual([`GET ${R}/branches/main`, `GET ${R}/pulls/12/reviews?per_page=100`, `GET ${R}/issues?state=open&labels=incident&per_page=100`, `GET ${R}/issues?state=open&labels=severity: P1&per_page=100`, `GET ${R}/issues?state=open&labels=severity: P2&per_page=100`]);
    console.log(`(b) review submitted: ${ga.length} requests on a freezing gate (${ga.length - 1} without the freeze read), ${unchanged.length} when the check is unchanged`);
  });

  it("(b') review on a gate without freeze: 3 requests, the physical limit (304, reviews, check)", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 20, files: { "infra/main.tf": "x" } });
    await w.pullEvent("opened", 20);
    w.reset();
    await w.submit(20, "sam-sre", "APPROVED");
    expect(w.requests).toEqual([`GET ${R}/branches/main`, `GET ${R}/pulls/20/reviews?per_page=100`, `POST ${R}/check-runs`]);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: OWNERS /infra/" } });
  });

  it("(b'') governance changed on the default branch and no push was delivered: the facts gathered from the model known before are dropped, the review is judged by the new model", async () => {
    const w = await SignoffWorld.create();
    w.openPull({ number: 20, files: { "infra/main.tf": "x" } });
    await w.pullEvent("opened", 20);
    // sol-sre becomes an SRE; the push event is lost, so the cached model is stale
    w.setGovernance({ "roles.yml": d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [sam-sre, sol-sre]") }, "e".repeat(40));
    w.reset();
    await w.submit(20, "sol-sre", "APPROVED");
    // the 304 did not come: governance is read again, and the reviews read with the old model's
    // facts are not trusted (read again from the new one)
    expect(w.requests.filter((r) => r.endsWith("/pulls/20/reviews?per_page=100"))).toHaveLength(2);
    expect(w.requests.at(-1)).toBe(`POST ${R}/check-runs`);
    expect(w.lastCheck()).toMatchObject({ conclusion: "success", output: { title: "Signed off: OWNERS /infra/" } });
  });

  it("(c) push to main touching governance/: governance re-read (changed files only), one list of open pull requests, one incident read per freezing label, then reviews and a write per pull request", async () => {
    const { w } = await world();
    w.openPull({ number: 12, files: { "governance/state/phase.yml": phaseYml("P4") }, body: GA_BODY });
    w.openPull({ number: 20, files: { "infra/main.tf": "x" } });
    w.openPull({ number: 30, files: { "README.md": "docs" } });
    for (const n of [12, 20, 30]) await w.pullEvent("opened", n);
    const before = w.governanceSha;
    w.setGovernance({ "roles.yml": d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [sam-sre, sol-sre]") }, "d".repeat(40));
    w.reset();
    await w.pushGovernance(before, { modified: ["governance/roles.yml"] });
    const d = "d".repeat(40);
    // the same requests as one after another; issued together where independent (the list of open
    // pull requests with governance, the state/ listing with governance/'s, the pull requests
    // REEVALUATE_TOGETHER at a time), so only the order inside each chain is fixed
    const seen = w.requests.map((r) => r.replace(/\/git\/blobs\/[0-9a-f]{40}$/, "/git/blobs/<sha>"));
    const before_ = (a: string, b: string) => expect(seen.indexOf(a), `${a} before ${b}`).toBeLessThan(seen.indexOf(b));
    before_(`GET ${R}/branches/main`, `GET ${R}/contents/governance?ref=${d}`);
    before_(`GET ${R}/contents/governance?ref=${d}`, `GET ${R}/git/blobs/<sha>`);
    before_(`GET ${R}/git/blobs/<sha>`, `GET ${R}/pulls/12/reviews?per_page=100`);
    before_(`GET ${R}/pulls/12/reviews?per_page=100`, `POST ${R}/check-runs`);
    expect([...seen].sort()).toEqual([
      `GET ${R}/branches/main`,
      `GET ${R}/contents/governance?ref=${d}`,
      `GET ${R}/contents/governance/state?ref=${d}`,
      `GET ${R}/git/blobs/<sha>`,
      `GET ${R}/pulls?state=open&base=main&per_page=100`,
      `GET ${R}/pulls/12/reviews?per_page=100`,
      `GET ${R}/issues?state=open&labels=incident&per_page=100`,
      `GET ${R}/issues?state=open&labels=severity: P1&per_page=100`,
      `GET ${R}/issues?state=open&labels=severity: P2&per_page=100`,
      `POST ${R}/check-runs`,
      `GET ${R}/pulls/20/reviews?per_page=100`,
      `POST ${R}/check-runs`,
      // #30 has no gate: no reviews read; its check changes only by the governance link
      `POST ${R}/check-runs`,
    ].sort());
    console.log(`(c) push touching governance/ with 3 open pull requests: ${w.requests.length} requests (5 for governance and the list, then per pull request: reviews if gated, one incident read shared, one write)`);
  });

  it("(c') push with more open pull requests than are evaluated together: every one re-evaluated once, with the same requests as one after another", async () => {
    const { w } = await world();
    const numbers = [40, 41, 42, 43, 44, 45];
    for (const n of numbers) w.openPull({ number: n, files: { [`infra/m${n}.tf`]: "x" } });
    for (const n of numbers) await w.pullEvent("opened", n);
    const before = w.governanceSha;
    w.setGovernance({ "roles.yml": d9Files()["roles.yml"]!.replace("holders: [sam-sre]", "holders: [sam-sre, sol-sre]") }, "d".repeat(40));
    w.reset();
    await w.pushGovernance(before, { modified: ["governance/roles.yml"] });
    expect(w.requests.filter((r) => r.startsWith(`GET ${R}/pulls?`))).toHaveLength(1);
    for (const n of numbers) {
      expect(w.requests.filter((r) => r === `GET ${R}/pulls/${n}/reviews?per_page=100`)).toHaveLength(1);
      expect(w.checkOn(w.pull(n).headSha)?.output.summary).toContain("d".repeat(7));
    }
    expect(w.requests.filter((r) => r === `POST ${R}/check-runs`)).toHaveLength(numbers.length);
  });
});
