/**
 * The workflow adopters copy (.github/workflows/charter.yml): the events Charter needs, least
 * privilege, sweeps that never overlap, and the pull_request_target safety rule (no step checks
 * out or runs the pull request's code).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../e2e/support/build.js";

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
  "working-directory"?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  concurrency: { group: string; "cancel-in-progress": boolean };
  env: Record<string, string>;
  jobs: Record<string, { steps: Step[]; if?: string; permissions?: unknown }>;
}

const text = readFileSync(join(ROOT, ".github/workflows/charter.yml"), "utf8");
const wf = parse(text) as Workflow;
const steps = Object.values(wf.jobs).flatMap((j) => j.steps);

describe(".github/workflows/charter.yml", () => {
  it("runs on the events Charter handles, a 5-minute schedule and manual dispatch", () => {
    expect(Object.keys(wf.on).sort()).toEqual(["issue_comment", "issues", "pull_request_review", "pull_request_target", "push", "schedule", "workflow_dispatch"].sort());
    expect(wf.on.schedule).toEqual([{ cron: "*/5 * * * *" }]);
    expect((wf.on.issue_comment as { types: string[] }).types).toEqual(["created"]); // edited comments are ignored by design
    expect((wf.on.pull_request_target as { types: string[] }).types).toEqual(expect.arrayContaining(["opened", "synchronize", "reopened", "closed"]));
  });

  it("asks for exactly the write permissions Charter uses, at workflow level only", () => {
    expect(wf.permissions).toEqual({ checks: "write", contents: "write", issues: "write", "pull-requests": "write" });
    for (const job of Object.values(wf.jobs)) expect(job.permissions).toBeUndefined();
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
    const checkouts = steps.filter((s) => s.uses?.startsWith("actions/checkout"));
    expect(checkouts.length).toBeGreaterThan(0);
    for (const c of checkouts) {
      expect(c.with?.repository).toBe("${{ env.CHARTER_REPOSITORY }}");
      expect(c.with?.ref).toBe("${{ env.CHARTER_REF }}");
      expect(c.with?.["persist-credentials"]).toBe(false);
    }
    expect(wf.env.CHARTER_REF).toMatch(/^v\d+\.\d+\.\d+$/);
  });

  it("runs the built Actions entry point with the workflow token", () => {
    const run = steps.find((s) => s.run?.includes("dist/actions/main.js"));
    expect(run?.run).toBe("node .charter/dist/actions/main.js");
    expect(run?.env?.GITHUB_TOKEN).toBe("${{ secrets.GITHUB_TOKEN }}");
    // the entry point it names is what `npm run build` produces
    expect(existsSync(join(ROOT, "src/actions/main.ts"))).toBe(true);
    const build = steps.find((s) => s.run?.includes("npm run build"));
    expect(build?.["working-directory"]).toBe(".charter");
  });
});
