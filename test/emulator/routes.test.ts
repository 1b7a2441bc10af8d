import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSpec } from "../support/openapi/spec.js";
import { routes } from "./routes/index.js";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
let octokit: Octokit;
const owner = "acme";
const repo = "misc";
const full = `${owner}/${repo}`;

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo(full, { files: { "a.txt": "a\n" } });
  octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "t", log: quiet });
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.stop();
});

describe("route table", () => {
  it("keys every handler by an operation that exists in GitHub's description", () => {
    const paths = loadSpec().paths;
    const missing = Object.keys(routes).filter((key) => {
      const [method = "", template = ""] = key.split(" ");
      return !paths[template]?.[method.toLowerCase()];
    });
    expect(missing).toEqual([]);
    expect(Object.keys(routes).length).toBeGreaterThan(50);
  });
});

describe("less-travelled endpoints answer schema-valid responses", () => {
  it("repos, refs, contents delete", async () => {
    const branches = await octokit.repos.listBranches({ owner, repo });
    expect(branches.data.map((b) => b.name)).toEqual(["main"]);
    const base = gh.branchSha(full);
    gh.createBranch(full, "topic");
    const next = gh.commitFiles(full, "topic", { "b.txt": "b\n" }, "b");
    const moved = await octokit.git.updateRef({ owner, repo, ref: "heads/main", sha: next });
    expect(moved.data.object.sha).toBe(next);
    const back = await octokit.git.updateRef({ owner, repo, ref: "heads/main", sha: base }).catch((e: { status: number }) => e);
    expect((back as { status: number }).status).toBe(422);
    const file = await octokit.repos.getContent({ owner, repo, path: "b.txt" });
    await octokit.repos.deleteFile({ owner, repo, path: "b.txt", message: "rm", sha: (file.data as { sha: string }).sha });
    expect(gh.getFile(full, "b.txt")).toBeUndefined();
    const inst = await octokit.apps.getOrgInstallation({ org: owner });
    expect(inst.data.id).toBe(gh.installationId(owner));
    const byId = await octokit.apps.getInstallation({ installation_id: inst.data.id });
    expect(byId.data.account && "login" in byId.data.account ? byId.data.account.login : undefined).toBe(owner);
  });

  it("labels, issue reactions, repo-wide comments, comment reactions", async () => {
    const i = gh.createIssue(full, { title: "t", user: "alice" });
    await octokit.issues.createLabel({ owner, repo, name: "sev", color: "ff0000" });
    const renamed = await octokit.issues.updateLabel({ owner, repo, name: "sev", new_name: "severity", description: "how bad" });
    expect(renamed.data).toMatchObject({ name: "severity", description: "how bad" });
    const got = await octokit.issues.getLabel({ owner, repo, name: "severity" });
    expect(got.data.color).toBe("ff0000");
    const set = await octokit.issues.setLabels({ owner, repo, issue_number: i.number, labels: ["severity", "new"] });
    expect(set.data.map((l) => l.name)).toEqual(["severity", "new"]);
    const listed = await octokit.issues.listLabelsOnIssue({ owner, repo, issue_number: i.number });
    expect(listed.data).toHaveLength(2);
    const repoLabels = await octokit.issues.listLabelsForRepo({ owner, repo });
    expect(repoLabels.data.map((l) => l.name).sort()).toEqual(["new", "severity"]);
    const r = await octokit.reactions.createForIssue({ owner, repo, issue_number: i.number, content: "eyes" });
    expect(r.status).toBe(201);
    const c = gh.addComment(full, i.number, "hello", "bob");
    await octokit.reactions.createForIssueComment({ owner, repo, comment_id: c.id, content: "heart" });
    const reactions = await octokit.reactions.listForIssueComment({ owner, repo, comment_id: c.id });
    expect(reactions.data.map((x) => x.content)).toEqual(["heart"]);
    const all = await octokit.issues.listCommentsForRepo({ owner, repo });
    expect(all.data.map((x) => x.id)).toContain(c.id);
    const unassigned = await octokit.issues.removeAssignees({ owner, repo, issue_number: i.number, assignees: ["nobody"] });
    expect(unassigned.data.assignees).toEqual([]);
  });

  it("pull request update, commits, REST reviews, dismissal, requested reviewers", async () => {
    gh.commitFiles(full, "feat", { "c.txt": "c\n" }, "c", { author: "dev" });
    const { issue } = gh.openPullRequest(full, { head: "feat", title: "feat", user: "dev" });
    const updated = await octokit.pulls.update({ owner, repo, pull_number: issue.number, title: "feat!", body: "- [x] done" });
    expect(updated.data).toMatchObject({ title: "feat!", body: "- [x] done" });
    const commits = await octokit.pulls.listCommits({ owner, repo, pull_number: issue.number });
    expect(commits.data.map((x) => x.commit.message)).toEqual(["c"]);
    const reviewer = new Octokit({ baseUrl: gh.apiUrl, auth: gh.tokenFor("lead"), log: quiet });
    const review = await reviewer.pulls.createReview({ owner, repo, pull_number: issue.number, event: "REQUEST_CHANGES", body: "no" });
    expect(review.data).toMatchObject({ state: "CHANGES_REQUESTED", user: { login: "lead" } });
    const dismissed = await octokit.pulls.dismissReview({ owner, repo, pull_number: issue.number, review_id: review.data.id, message: "stale" });
    expect(dismissed.data.state).toBe("DISMISSED");
    await octokit.pulls.requestReviewers({ owner, repo, pull_number: issue.number, reviewers: ["sre"] });
    const requested = await octokit.pulls.listRequestedReviewers({ owner, repo, pull_number: issue.number });
    expect(requested.data.users.map((u) => u.login)).toEqual(["sre"]);
    const check = await octokit.checks.create({ owner, repo, name: "Charter sign-off", head_sha: gh.branchSha(full, "feat") });
    expect(check.data.pull_requests.map((p) => p.number)).toEqual([issue.number]);
    const fetched = await octokit.checks.get({ owner, repo, check_run_id: check.data.id });
    expect(fetched.data.status).toBe("queued");
    const closed = await octokit.pulls.update({ owner, repo, pull_number: issue.number, state: "closed" });
    expect(closed.data.state).toBe("closed");
    const notMergeable = await octokit.pulls.merge({ owner, repo, pull_number: issue.number }).catch((e: { status: number }) => e);
    expect((notMergeable as { status: number }).status).toBe(405);
  });

  it("teams", async () => {
    gh.setTeamMembers(owner, "sre", ["sam"], "SRE");
    const team = await octokit.teams.getByName({ org: owner, team_slug: "sre" });
    expect(team.data).toMatchObject({ slug: "sre", name: "SRE", members_count: 1 });
    const membership = await octokit.teams.getMembershipForUserInOrg({ org: owner, team_slug: "sre", username: "SAM" });
    expect(membership.data.state).toBe("active");
    const none = await octokit.teams.getMembershipForUserInOrg({ org: owner, team_slug: "sre", username: "eve" }).catch((e: { status: number }) => e);
    expect((none as { status: number }).status).toBe(404);
  });
});
