/**
 * What an activation and a resume cost in requests to GitHub (every one of them mocked and
 * counted). The governance cache makes an unchanged default branch one conditional request (a
 * 304), and the texts Charter writes are cached by their new blob sha, so a later event re-reads
 * directory listings but no file contents.
 */
import { describe, expect, it } from "vitest";
import { useNock, world } from "./harness.js";

const kinds = (lines: string[]) => lines.map((l) => l.replace(/\?.*? →/, " →").replace(/[0-9a-f]{40}/g, "<sha>").replace(/comments\/\d+\//g, "comments/<n>/"));

describe("requests to GitHub", () => {
  useNock();

  it("per activation and per resume", async () => {
    const w = await world();
    const figures: Record<string, number> = {};

    // Cold: nothing cached yet (first event after start).
    await w.say("olga-oncall", "/killswitch activate global error-rate-20 uploads failing");
    figures["activation, cold cache"] = w.fake.requests.length;
    expect(kinds(w.fake.lines())).toEqual([
      "GET /repos/acme/ingestion/branches/main → 200",
      "GET /repos/acme/ingestion/contents/governance → 200",
      "GET /repos/acme/ingestion/contents/governance/state → 200",
      ...Array(8).fill("GET /repos/acme/ingestion/git/blobs/<sha> → 200"),
      "PUT /repos/acme/ingestion/contents/governance/state/killswitch.yml → 200",
      "PUT /repos/acme/ingestion/contents/governance/state/log.yml → 200",
      "POST /repos/acme/ingestion/issues/comments/<n>/reactions → 201",
      "POST /repos/acme/ingestion/issues/7/comments → 201",
    ]);

    // Resume at once (30 min, on-call, verified): the branch moved (our own commits), listings re-read, no blob.
    w.app.clock.advanceMinutes(30);
    w.fake.reset();
    await w.say("olga-oncall", '/killswitch resume global --verified "Test upload passes"');
    figures["resume at once"] = w.fake.requests.length;
    expect(w.fake.count("GET", /git\/blobs/)).toBe(0);
    expect(w.fake.count("PUT")).toBe(2);

    // Warm: a second activation; the branch moved again (the resume's commits).
    w.fake.reset();
    await w.say("omar-oncall", "/killswitch activate workspace:acme error-rate-20 acme failing");
    figures["activation, warm cache"] = w.fake.requests.length;

    // Resume by pull request (2 h later).
    w.app.clock.advanceMinutes(120);
    w.fake.reset();
    await w.say("omar-oncall", '/killswitch resume workspace:acme --verified "Test upload passes"');
    figures["resume by pull request"] = w.fake.requests.length;
    expect(w.fake.count("POST", /git\/refs$/)).toBe(1);
    expect(w.fake.count("POST", /\/pulls$/)).toBe(1);

    // Its merge: confirm on the issue.
    const pr = w.fake.pulls[0]!;
    w.fake.merge(pr.number);
    w.fake.reset();
    await w.closed(pr, { merged: true, mergedBy: "ana-owner" });
    figures["resume pull request merged"] = w.fake.requests.length;

    // A refused command: read governance (unchanged branch: 304) and reply.
    w.fake.reset();
    await w.say("sue-support", "/killswitch activate global error-rate-20 x");
    figures["refusal, branch unchanged"] = w.fake.requests.length;
    expect(kinds(w.fake.lines())).toEqual(["GET /repos/acme/ingestion/branches/main → 304", "POST /repos/acme/ingestion/issues/7/comments → 201"]);

    console.log(Object.entries(figures).map(([k, v]) => `${k.padEnd(28)} ${v}`).join("\n"));
    expect(figures).toEqual({
      "activation, cold cache": 15,
      "resume at once": 7,
      "activation, warm cache": 7,
      "resume by pull request": 9,
      "resume pull request merged": 4,
      "refusal, branch unchanged": 2,
    });
  });
});
