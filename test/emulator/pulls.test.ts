import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let octokit: Octokit;
const owner = "acme";
const repo = "rollout";
const full = `${owner}/${repo}`;

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo(full, { files: { "governance/state/phase.yml": "phase: P3\n" } });
  octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet });
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.stop();
});

describe("pull requests, reviews, merge, checks, teams, app auth", () => {
  it("opens a PR from a branch, lists its files, reviews on commits, merges head files onto base", async () => {
    const sha1 = gh.commitFiles(full, "ga", { "governance/state/phase.yml": "phase: P4\n" }, "move to GA", { author: "pm" });
    const { issue } = gh.openPullRequest(full, { head: "ga", title: "P3 → P4", user: "pm" });
    const pr = await octokit.pulls.get({ owner, repo, pull_number: issue.number });
    expect(pr.data).toMatchObject({ state: "open", merged: false, head: { ref: "ga", sha: sha1 }, base: { ref: "main" } });
    expect(pr.data.user.login).toBe("pm");

    const files = await octokit.pulls.listFiles({ owner, repo, pull_number: issue.number });
    expect(files.data.map((f) => [f.filename, f.status])).toEqual([["governance/state/phase.yml", "modified"]]);

    const approval = gh.submitReview(full, issue.number, { user: "owner1", state: "APPROVED" });
    expect(approval.commitId).toBe(sha1);
    const sha2 = gh.commitFiles(full, "ga", { "docs/ga.md": "go\n" }, "notes", { author: "pm" });
    gh.submitReview(full, issue.number, { user: "sre", state: "CHANGES_REQUESTED" });
    const reviews = await octokit.pulls.listReviews({ owner, repo, pull_number: issue.number });
    expect(reviews.data.map((r) => [r.user?.login, r.state, r.commit_id])).toEqual([
      ["owner1", "APPROVED", sha1],
      ["sre", "CHANGES_REQUESTED", sha2],
    ]);
    const after = await octokit.pulls.get({ owner, repo, pull_number: issue.number });
    expect(after.data.head.sha).toBe(sha2);
    expect(() => gh.submitReview(full, issue.number, { user: "pm", state: "APPROVED" })).toThrow(/own pull request/);

    await octokit.pulls.requestReviewers({ owner, repo, pull_number: issue.number, reviewers: ["lead"] });
    expect(gh.getPullRequest(full, issue.number).pull.requestedReviewers).toEqual(["lead"]);

    const stale = await octokit.pulls.merge({ owner, repo, pull_number: issue.number, sha: sha1 }).catch((e: { status: number }) => e);
    expect((stale as { status: number }).status).toBe(409);
    const merged = await octokit.pulls.merge({ owner, repo, pull_number: issue.number, sha: sha2 });
    expect(merged.data.merged).toBe(true);
    expect(gh.getFile(full, "governance/state/phase.yml")).toBe("phase: P4\n");
    expect(gh.getFile(full, "docs/ga.md")).toBe("go\n");
    const closed = await octokit.pulls.get({ owner, repo, pull_number: issue.number });
    expect(closed.data).toMatchObject({ state: "closed", merged: true, merge_commit_sha: merged.data.sha });
    const list = await octokit.pulls.list({ owner, repo, state: "closed" });
    expect(list.data.map((p) => p.number)).toEqual([issue.number]);
  });

  it("creates PRs over REST and paginates their files", async () => {
    const files: Record<string, string> = {};
    for (let k = 0; k < 5; k++) files[`f${k}.txt`] = `${k}\n`;
    gh.commitFiles(full, "bulk", files, "bulk");
    const pr = await octokit.pulls.create({ owner, repo, head: "bulk", base: "main", title: "bulk" });
    expect(pr.status).toBe(201);
    const page2 = await octokit.pulls.listFiles({ owner, repo, pull_number: pr.data.number, per_page: 2, page: 2 });
    expect(page2.data.map((f) => f.filename)).toEqual(["f2.txt", "f3.txt"]);
    const all = await octokit.paginate(octokit.pulls.listFiles, { owner, repo, pull_number: pr.data.number, per_page: 2 });
    expect(all).toHaveLength(5);
  });

  it("creates, updates and lists check runs for a ref; rejects completed without conclusion", async () => {
    const head = gh.branchSha(full);
    const created = await octokit.checks.create({ owner, repo, name: "Charter sign-off", head_sha: head, status: "in_progress", output: { title: "Waiting", summary: "| role | signed |" } });
    expect(created.data).toMatchObject({ status: "in_progress", conclusion: null, head_sha: head });
    const updated = await octokit.checks.update({ owner, repo, check_run_id: created.data.id, conclusion: "failure", output: { title: "Missing sign-off", summary: "SRE lead" } });
    expect(updated.data).toMatchObject({ status: "completed", conclusion: "failure" });
    const listed = await octokit.checks.listForRef({ owner, repo, ref: "main", check_name: "Charter sign-off" });
    expect(listed.data.total_count).toBe(1);
    expect(listed.data.check_runs[0]?.output.title).toBe("Missing sign-off");
    const bad = await octokit.checks.create({ owner, repo, name: "x", head_sha: head, status: "completed" }).catch((e: { status: number }) => e);
    expect((bad as { status: number }).status).toBe(422);
    expect(gh.listCheckRuns(full)).toHaveLength(1);
  });

  it("answers team members and app authentication", async () => {
    gh.setTeamMembers("acme", "sre", ["sam", "sue"]);
    const members = await octokit.teams.listMembersInOrg({ org: "acme", team_slug: "sre" });
    expect(members.data.map((m) => m.login)).toEqual(["sam", "sue"]);
    const app = await octokit.apps.getAuthenticated();
    expect(app.data?.slug).toBe("charter");
    const inst = await octokit.apps.getRepoInstallation({ owner, repo });
    expect(inst.data.id).toBe(gh.installationId(owner));
    const token = await octokit.apps.createInstallationAccessToken({ installation_id: inst.data.id });
    expect(token.status).toBe(201);
    expect(token.data.token).toMatch(/^ghs_/);
    const asBot = new Octokit({ baseUrl: gh.apiUrl, auth: token.data.token, log: quiet });
    const i = await asBot.issues.create({ owner, repo, title: "from app" });
    expect(i.data.user?.login).toBe("charter[bot]");
  });
});
