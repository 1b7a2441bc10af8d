/** The emulator's GET /search/issues: the qualifiers the safety-net sweep sends, validated against GitHub's description. */
import { Octokit } from "@octokit/rest";
import { afterEach, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";
import { queryTerms } from "./routes/search.js";

let gh: GitHubEmulator | undefined;
afterEach(async () => {
  await gh?.stop();
  gh = undefined;
});

describe("GET /search/issues", () => {
  it("keeps a quoted value whole", () => {
    expect(queryTerms('is:open label:"severity: P1" org:acme')).toEqual(["is:open", "label:severity: P1", "org:acme"]);
  });

  it("finds open issues with a label, in an owner's repositories, updated since an instant", async () => {
    gh = await startEmulator({ startTime: "2025-06-02T10:00:00Z" });
    gh.createRepo("acme/ingestion", { ownerType: "Organization" });
    gh.createRepo("other/thing", { ownerType: "Organization" });
    const old = gh.createIssue("acme/ingestion", { title: "old", user: "rita-reporter", labels: ["incident"] });
    gh.setTime("2025-06-02T11:00:00Z");
    const fresh = gh.createIssue("acme/ingestion", { title: "fresh", user: "rita-reporter", labels: ["incident"] });
    gh.createIssue("acme/ingestion", { title: "not an incident", user: "rita-reporter" });
    gh.createIssue("other/thing", { title: "elsewhere", user: "rita-reporter", labels: ["incident"] });
    const octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "token" });
    const all = await octokit.request("GET /search/issues", { q: 'is:issue is:open label:"incident" org:acme' });
    expect(all.data.items.map((i) => i.number).sort()).toEqual([old.number, fresh.number].sort());
    const since = await octokit.request("GET /search/issues", { q: 'is:issue is:open label:"incident" org:acme updated:>=2025-06-02T10:30:00Z' });
    expect(since.data.items.map((i) => i.number)).toEqual([fresh.number]);
    expect(since.data.items[0]!.repository_url).toMatch(/\/repos\/acme\/ingestion$/);
    expect(gh.violations).toEqual([]);
  });
});
