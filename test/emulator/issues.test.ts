import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type GitHubEmulator } from "./index.js";

let gh: GitHubEmulator;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const owner = "acme";
const repo = "ops";
let octokit: Octokit;

beforeAll(async () => {
  gh = await startEmulator({ quiet: true });
  gh.createRepo(`${owner}/${repo}`);
  octokit = new Octokit({ baseUrl: gh.apiUrl, auth: "installation-token", log: quiet });
});
afterAll(async () => {
  expect(gh.violations).toEqual([]);
  await gh.stop();
});

describe("issues, comments, labels, assignees, reactions", () => {
  it("creates an issue as a person, and the app labels, assigns and comments on it", async () => {
    const alice = new Octokit({ baseUrl: gh.apiUrl, auth: gh.tokenFor("alice"), log: quiet });
    const created = await alice.issues.create({ owner, repo, title: "Ingestion down", body: "### Severity\n\nP1" });
    expect(created.status).toBe(201);
    expect(created.data.user?.login).toBe("alice");
    const n = created.data.number;

    await octokit.issues.createLabel({ owner, repo, name: "severity: P1", color: "b60205" });
    const labels = await octokit.issues.addLabels({ owner, repo, issue_number: n, labels: ["severity: P1", "incident"] });
    expect(labels.data.map((l) => l.name)).toEqual(["severity: P1", "incident"]);
    expect(labels.data[0]?.color).toBe("b60205");

    const assigned = await octokit.issues.addAssignees({ owner, repo, issue_number: n, assignees: ["bob"] });
    expect(assigned.data.assignees?.map((a) => a.login)).toEqual(["bob"]);

    const comment = await octokit.issues.createComment({ owner, repo, issue_number: n, body: "Incident started" });
    expect(comment.data.user?.login).toBe("charter[bot]");
    expect(comment.data.user?.type).toBe("Bot");

    const reaction = await octokit.reactions.createForIssueComment({ owner, repo, comment_id: comment.data.id, content: "+1" });
    expect(reaction.status).toBe(201);
    const again = await octokit.reactions.createForIssueComment({ owner, repo, comment_id: comment.data.id, content: "+1" });
    expect(again.status).toBe(200);
    expect(gh.getComment(`${owner}/${repo}`, comment.data.id).reactions).toHaveLength(1);

    await octokit.issues.removeLabel({ owner, repo, issue_number: n, name: "incident" });
    const issue = gh.getIssue(`${owner}/${repo}`, n);
    expect(issue.labels).toEqual(["severity: P1"]);
    expect(issue.assignees).toEqual(["bob"]);
    expect(gh.listComments(`${owner}/${repo}`, n).map((c) => c.body)).toEqual(["Incident started"]);

    const missing = await octokit.issues.removeLabel({ owner, repo, issue_number: n, name: "incident" }).catch((e: { status: number }) => e);
    expect((missing as { status: number }).status).toBe(404);
  });

  it("updates state, state_reason, title, body, labels and assignees", async () => {
    const i = gh.createIssue(`${owner}/${repo}`, { title: "old", user: "carol", labels: ["a"] });
    const res = await octokit.issues.update({
      owner,
      repo,
      issue_number: i.number,
      title: "new",
      body: "b",
      state: "closed",
      state_reason: "not_planned",
      labels: ["b"],
      assignees: ["dave"],
    });
    expect(res.data).toMatchObject({ title: "new", body: "b", state: "closed", state_reason: "not_planned" });
    expect(res.data.closed_at).not.toBeNull();
    expect(res.data.labels.map((l) => (typeof l === "string" ? l : l.name))).toEqual(["b"]);
    expect(res.data.assignees?.map((a) => a.login)).toEqual(["dave"]);
    const reopened = await octokit.issues.update({ owner, repo, issue_number: i.number, state: "open" });
    expect(reopened.data).toMatchObject({ state: "open", state_reason: "reopened", closed_at: null });
  });

  it("edits and gets comments; lists them with since", async () => {
    const i = gh.createIssue(`${owner}/${repo}`, { title: "t", user: "carol" });
    gh.setTime("2025-03-01T10:00:00Z");
    const c1 = gh.addComment(`${owner}/${repo}`, i.number, "/ack", "bob");
    gh.advanceTime(60_000);
    gh.addComment(`${owner}/${repo}`, i.number, "/update investigating", "bob");
    const since = await octokit.issues.listComments({ owner, repo, issue_number: i.number, since: "2025-03-01T10:00:30Z" });
    expect(since.data.map((c) => c.body)).toEqual(["/update investigating"]);
    const edited = await octokit.issues.updateComment({ owner, repo, comment_id: c1.id, body: "/ack (edited)" });
    expect(edited.data.body).toBe("/ack (edited)");
    const got = await octokit.issues.getComment({ owner, repo, comment_id: c1.id });
    expect(got.data.created_at).toBe("2025-03-01T10:00:00Z");
    expect(got.data.updated_at).not.toBe(got.data.created_at);
  });
});

describe("pagination", () => {
  it("pages issues with Link headers that Octokit's paginate follows", async () => {
    gh.createRepo("acme/many");
    for (let k = 0; k < 7; k++) gh.createIssue("acme/many", { title: `issue ${k}`, user: "alice", labels: k % 2 ? ["odd"] : [] });
    const first = await octokit.issues.listForRepo({ owner: "acme", repo: "many", per_page: 3, page: 1, direction: "asc" });
    expect(first.data.map((i) => i.title)).toEqual(["issue 0", "issue 1", "issue 2"]);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('rel="last"');
    expect(first.headers.link).toContain("/api/v3/repos/acme/many/issues?");
    const last = await octokit.issues.listForRepo({ owner: "acme", repo: "many", per_page: 3, page: 3, direction: "asc" });
    expect(last.data.map((i) => i.title)).toEqual(["issue 6"]);
    expect(last.headers.link).not.toContain('rel="next"');

    const all = await octokit.paginate(octokit.issues.listForRepo, { owner: "acme", repo: "many", per_page: 2 });
    expect(all).toHaveLength(7);
    const odd = await octokit.paginate(octokit.issues.listForRepo, { owner: "acme", repo: "many", labels: "odd", per_page: 2 });
    expect(odd.map((i) => i.title).sort()).toEqual(["issue 1", "issue 3", "issue 5"]);
  });

  it("filters by state and sorts by updated", async () => {
    gh.createRepo("acme/sorted");
    gh.setTime("2025-01-01T00:00:00Z");
    const a = gh.createIssue("acme/sorted", { title: "a", user: "u" });
    gh.advanceTime(1000);
    gh.createIssue("acme/sorted", { title: "b", user: "u" });
    gh.advanceTime(1000);
    gh.addComment("acme/sorted", a.number, "bump", "u");
    const byUpdated = await octokit.issues.listForRepo({ owner: "acme", repo: "sorted", sort: "updated", direction: "desc" });
    expect(byUpdated.data.map((i) => i.title)).toEqual(["a", "b"]);
    gh.updateIssue("acme/sorted", a.number, { state: "closed" }, "u");
    const open = await octokit.issues.listForRepo({ owner: "acme", repo: "sorted", state: "open" });
    expect(open.data.map((i) => i.title)).toEqual(["b"]);
    const all = await octokit.issues.listForRepo({ owner: "acme", repo: "sorted", state: "all" });
    expect(all.data).toHaveLength(2);
  });
});
