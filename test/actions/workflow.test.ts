/**
 * The workflows adopters copy (.github/workflows/charter.yml and charter-review-relay.yml), parsed:
 * the events Charter needs, sweeps that never overlap, and the safety rules of hardening issue #10,
 * item 13: Charter acts as its GitHub App (the key from an environment limited to the default
 * branch), the workflow token is read-only, and no shipped trigger runs a pull request's copy of a
 * workflow with a write token or a secret (`pull_request_review` is relayed, not handled).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REVIEW_RELAY_WORKFLOW } from "../../src/actions/review-relay.js";
import { ROOT } from "../e2e/support/build.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Job {
  steps: Step[];
  if?: string;
  permissions?: unknown;
  environment?: unknown;
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const dir = join(ROOT, ".github/workflows");
const load = (file: string) => parse(readFileSync(join(dir, file), "utf8")) as Workflow;
const wf = load("charter.yml");
const relay = load("charter-review-relay.yml");
const steps = Object.values(wf.jobs).flatMap((j) => j.steps);

/** Triggers whose workflow file GitHub takes from the pull request (its head or merge ref), not from the default branch. */
const RUNS_PULL_REQUEST_COPY = ["pull_request", "pull_request_review", "pull_request_review_comment"];

describe(".github/workflows/charter.yml", () => {
  it("runs on the events Charter handles, reviews through the relay, a 5-minute schedule and manual dispatch", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["issue_comment", "issues", "pull_request_target", "push", "schedule", "workflow_dispatch", "workflow_run"].sort());
    expect(wf.on.schedule).toEqual([{ cron: "*/5 * * * *" }]);
    expect((wf.on.issue_comment as { types: string[] }).types).toEqual(["created"]); // edited comments are ignored by design
    expect((wf.on.pull_request_target as { types: string[] }).types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "closed"]));
    expect(wf.on.workflow_run).toEqual({ workflows: [REVIEW_RELAY_WORKFLOW], types: ["completed"] });
  });

  it("has no trigger that runs a pull request's copy of the workflow (#10 item 13)", () => {
    for (const t of RUNS_PULL_REQUEST_COPY) expect(Object.keys(wf.on), t).not.toContain(t);
  });

  it("gives the workflow token no access at all: Charter writes as its app", () => {
    expect(wf.permissions).toEqual({});
    for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeUndefined();
  });

  it("runs Charter as the GitHub App, with the key from the `charter` environment (limited to the default branch), never with GITHUB_TOKEN", () => {
    const job = Object.values(wf.jobs)[0]!;
    expect(job.environment).toBe("charter");
    // one step: the bundled action at a pinned release, given the app's credentials (action.yml's inputs)
    expect(steps).toHaveLength(1);
    const [run] = steps;
    expect(run?.uses).toMatch(/^charter-app\/charter@v\d+\.\d+\.\d+$/);
    expect(run?.with).toEqual({
      "app-id": "${{ vars.CHARTER_APP_ID }}",
      "private-key": "${{ secrets.CHARTER_APP_PRIVATE_KEY }}",
      "seal-keys": "${{ secrets.CHARTER_SEAL_KEYS }}",
    });
    expect(JSON.stringify(wf)).not.toMatch(/GITHUB_TOKEN|github\.token|github-token/);
    // the inputs it passes are the action's own
    const action = parse(readFileSync(join(ROOT, "action.yml"), "utf8")) as { inputs: Record<string, unknown> };
    for (const input of Object.keys(run?.with ?? {})) expect(Object.keys(action.inputs)).toContain(input);
  });

  it("puts scheduled and manual sweeps in one group per repository, and every event in its own", () => {
    expect(wf.concurrency["cancel-in-progress"]).toBe(false);
    const g = wf.concurrency.group;
    expect(g).toContain("github.event_name == 'schedule'");
    expect(g).toContain("github.event_name == 'workflow_dispatch'");
    expect(g).toContain("format('charter-sweep-{0}', github.repository)");
    expect(g).toContain("format('charter-event-{0}', github.run_id)");
  });

  it("never checks out or runs the pull request's code (pull_request_target is safe only so)", () => {
    const body = JSON.stringify(wf); // the workflow without its comments
    expect(body).not.toMatch(/github\.event\.pull_request\.head/);
    expect(body).not.toMatch(/github\.head_ref/);
    expect(body).not.toMatch(/github\.event\.workflow_run\.head/);
    // nothing is checked out at all: the action is the only step, and no step runs a shell
    expect(steps.filter((s) => s.uses?.startsWith("actions/checkout"))).toEqual([]);
    expect(steps.filter((s) => s.run !== undefined)).toEqual([]);
  });
});

describe(".github/workflows/charter-review-relay.yml", () => {
  it("is the workflow charter.yml listens for, runs on reviews only, and has nothing worth taking: no permissions, no secrets, no checkout, no event data", () => {
    expect(relay.name).toBe(REVIEW_RELAY_WORKFLOW);
    expect(Object.keys(relay.on)).toEqual(["pull_request_review"]);
    expect(relay.permissions).toEqual({});
    const text = JSON.stringify(relay);
    expect(text).not.toMatch(/secrets\.|github\.token|GITHUB_TOKEN/);
    expect(text).not.toMatch(/\$\{\{/); // no expressions at all: no event text reaches a shell
    const relaySteps = Object.values(relay.jobs).flatMap((j) => j.steps);
    expect(relaySteps.every((s) => s.uses === undefined)).toBe(true);
    for (const job of Object.values(relay.jobs)) {
      expect(job.permissions).toBeUndefined();
      expect(job.environment).toBeUndefined();
    }
  });
});

describe("every shipped workflow", () => {
  const files = readdirSync(dir).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));

  it.each(files)("%s: a trigger that runs the pull request's copy gets no write permission and no secret", (file) => {
    const w = load(file);
    const triggers = Object.keys(w.on);
    if (!triggers.some((t) => RUNS_PULL_REQUEST_COPY.includes(t))) return;
    const permissions = [w.permissions, ...Object.values(w.jobs).map((j) => j.permissions)].filter((p) => p !== undefined);
    expect(permissions.length, `${file} must set its permissions`).toBeGreaterThan(0);
    for (const p of permissions) {
      expect(p === "write-all" || (typeof p === "object" && Object.values(p as Record<string, string>).includes("write")), `${file}: ${JSON.stringify(p)}`).toBe(false);
    }
    expect(JSON.stringify(w)).not.toMatch(/secrets\./);
    for (const job of Object.values(w.jobs)) expect(job.environment, file).toBeUndefined();
  });
});

describe("docs/actions.md", () => {
  const doc = readFileSync(join(ROOT, "docs/actions.md"), "utf8");

  it("ships the app-identity path and says GITHUB_TOKEN mode is advisory and cannot be required safely", () => {
    expect(doc).toContain("actions/create-github-app-token");
    expect(doc).toMatch(/environment `charter`/);
    expect(doc).toMatch(/deployment branches/i);
    expect(doc).toMatch(/advisory/);
    expect(doc).toContain("cannot be required safely");
    expect(doc).toContain("charter-review-relay.yml");
    expect(doc).not.toMatch(/source is \*\*GitHub Actions\*\*/); // the old, forgeable advice
  });
});
