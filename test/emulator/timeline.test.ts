/**
 * The emulator's pull request timeline: who dismissed a review (`review_dismissed`, the only place
 * GitHub records it), through the REST routes a person and Charter use, validated against GitHub's
 * OpenAPI description (the emulator's violations stay empty).
 */
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const owner = "acme";
const repo = "rollout";
const full = `${owner}/${repo}`;

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo(full, { files: { "governance/state/phase.yml": "phase: P3\n" } });
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.stop();
});

describe("timeline", () => {
  it("records who dismissed which review, and what it was; a dismissed review cannot be dismissed again", async () => {
    gh.commitFiles(full, "ga", { "governance/state/phase.yml": "phase: P4\n" }, "move to GA", { author: "rita" });
    const { issue } = gh.openPullRequest(full, { head: "ga", title: "P3 → P4", user: "rita" });
    const veto = gh.submitReview(full, issue.number, { user: "pat-pm", state: "CHANGES_REQUESTED", body: "not yet" });
    gh.submitReview(full, issue.number, { user: "ana-owner", state: "APPROVED" });
    const rita = new Octokit({ baseUrl: gh.apiUrl, auth: gh.tokenFor("rita"), log: quiet });
    const dismissed = await rita.pulls.dismissReview({ owner, repo, pull_number: issue.number, review_id: veto.id, message: "addressed" });
    expect(dismissed.data.state).toBe("DISMISSED");

    const app = new Octokit({ baseUrl: gh.apiUrl, auth: "installation-token", log: quiet });
    const events = (await app.paginate("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", { owner, repo, issue_number: issue.number, per_page: 100 })) as Record<string, unknown>[];
    expect(events.map((e) => e.event)).toEqual(["reviewed", "reviewed", "review_dismissed"]);
    expect(events[0]).toMatchObject({ event: "reviewed", id: veto.id, state: "changes_requested", user: { login: "pat-pm" } });
    expect(events[2]).toMatchObject({ event: "review_dismissed", actor: { login: "rita" }, dismissed_review: { review_id: veto.id, state: "changes_requested", dismissal_message: "addressed" } });

    const again = await rita.pulls.dismissReview({ owner, repo, pull_number: issue.number, review_id: veto.id, message: "again" }).catch((e: { status: number }) => e);
    expect((again as { status: number }).status).toBe(422);
  });

  it("an issue that is not a pull request has no review events", async () => {
    const i = gh.createIssue(full, { title: "Uploads failing", body: "", user: "rita" });
    const app = new Octokit({ baseUrl: gh.apiUrl, auth: "installation-token", log: quiet });
    const { data } = await app.request("GET /repos/{owner}/{repo}/issues/{issue_number}/timeline", { owner, repo, issue_number: i.number });
    expect(data).toEqual([]);
  });
});
