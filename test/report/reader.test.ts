/** The history reader stops listing closed pull requests at the first page older than the period. */
import { describe, expect, it } from "vitest";
import type { GitHubClient } from "../../src/github/client.js";
import { githubHistoryReader } from "../../src/github/report/reader.js";

describe("githubHistoryReader.closedPulls", () => {
  it("reads pages newest update first and stops after the first page that ends before --since", async () => {
    const pull = (n: number, updated: string) => ({ number: n, user: { login: "charter[bot]", type: "Bot" }, body: "", created_at: updated, updated_at: updated, merged_at: updated, head: { ref: `b${n}`, sha: "a".repeat(40) } });
    const pages = [
      [pull(9, "2025-06-09T00:00:00Z"), pull(8, "2025-06-05T00:00:00Z")],
      [pull(7, "2025-06-02T00:00:00Z"), pull(6, "2025-05-20T00:00:00Z")],
      [pull(5, "2025-05-10T00:00:00Z")],
    ];
    const asked: unknown[] = [];
    let served = 0;
    const gh = {
      paginate: Object.assign(async () => [], {
        iterator: (route: string, params: unknown) => {
          asked.push([route, params]);
          return (async function* () {
            for (const data of pages) {
              served++;
              yield { data };
            }
          })();
        },
      }),
      request: async () => ({ data: {} }),
    } as unknown as GitHubClient;
    const got = await githubHistoryReader(gh, { owner: "acme", repo: "ingestion" }).closedPulls(new Date("2025-06-01T00:00:00Z"));
    expect(got.map((p) => p.number)).toEqual([9, 8, 7]);
    expect(served).toBe(2);
    expect(asked).toEqual([["GET /repos/{owner}/{repo}/pulls", { owner: "acme", repo: "ingestion", state: "closed", sort: "updated", direction: "desc", per_page: 100 }]]);
  });
});
