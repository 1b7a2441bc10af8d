/**
 * `charter sweep` for a cron job or a scheduled workflow: with GITHUB_TOKEN + GITHUB_REPOSITORY,
 * or as the GitHub App (APP_ID + PRIVATE_KEY) over its installations. GitHub is nock'd.
 */
import { generateKeyPairSync } from "node:crypto";
import nock from "nock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSweepCommand } from "../../src/cli/commands/sweep.js";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { ManualClock } from "../../src/clock.js";
import * as o from "../emulator/objects.js";
import { TestOctokit } from "../support/app-harness.js";
import { API, OWNER, REPO } from "../support/governance-mock.js";
import { FakeGitHub } from "./support/fake-github.js";

function io(env: Record<string, string>): CliIO & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (t) => lines.push(t), err: (t) => errors.push(t), env, cwd: process.cwd() };
}

const command = createSweepCommand({ Octokit: TestOctokit });
const T0 = "2025-06-04T10:00:00Z";

describe("charter sweep", () => {
  let gh: FakeGitHub;
  beforeEach(() => {
    nock.disableNetConnect();
    gh = new FakeGitHub(new ManualClock(T0)).install();
  });
  afterEach(() => nock.cleanAll());

  /** An incident opened at t0 whose status comment Charter wrote (as if the server had opened it). */
  async function openedIncident(): Promise<void> {
    const cli = io({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: `${OWNER}/${REPO}` });
    gh.addIssue({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    expect(await command.run(["--at", T0], cli)).toBe(0);
  }

  it("with GITHUB_TOKEN and GITHUB_REPOSITORY: pages what is due at --at, once", async () => {
    gh.asActions(); // a workflow's token writes as github-actions[bot]: Charter is advisory and reads its own (unsealed) markers
    await openedIncident();
    (gh.clock as ManualClock).set("2025-06-04T10:15:00Z");
    const cli = io({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: `${OWNER}/${REPO}` });
    expect(await command.run(["--at", "2025-06-04T10:15:00Z"], cli)).toBe(0);
    expect(cli.lines).toEqual([
      `${OWNER}/${REPO} at 2025-06-04T10:15:00.000Z (governance aaaaaaa): 2 action(s)`,
      "  - incidents: #12 P1 +15m step paged omar-oncall",
      "  - incidents: #12 acknowledgement deadline (15m) passed",
    ]);
    const again = io({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: `${OWNER}/${REPO}` });
    expect(await command.run(["--at", "2025-06-04T10:15:00Z", "--json"], again)).toBe(0);
    const json = JSON.parse(again.lines.join("\n")) as { reports: { task: string; actions: string[] }[] }[];
    expect(json[0]!.reports.find((r) => r.task === "incidents")!.actions).toEqual([]);
    expect(gh.posted(12).map((p) => p.at)).toEqual(["2025-06-04T10:00:00.000Z", "2025-06-04T10:15:00.000Z"]);
  });

  it("as the GitHub App: lists installations and their repositories, sweeps each", async () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const asApp = () =>
      nock(API)
        .get("/app")
        .reply(200, o.app({ id: 1, slug: "charter" }))
        .get("/app/installations")
        .query(true)
        // account: null (schema-valid): the guard currently rejects a simple-user account here (anyOf with nullable)
        .reply(200, [{ ...o.installation({ id: 1, account: OWNER }), account: null }])
        .post("/app/installations/1/access_tokens")
        .reply(201, { token: "ghs_installation", expires_at: "2025-06-04T11:30:00Z", permissions: { issues: "write" }, repository_selection: "all" })
        .get("/installation/repositories")
        .query(true)
        .reply(200, { total_count: 1, repositories: [o.repository({ owner: OWNER, name: REPO })] });
    // the app opened the incident at t0 (its own sealed record), then a cron job sweeps as the same app
    const env = { APP_ID: "1", PRIVATE_KEY: privateKey, CHARTER_SEAL_KEYS: "cli-sweep-test-seal-key-0123456789abcdef" };
    gh.addIssue({ number: 12, title: "Ingestion down", labels: ["incident", "severity: P1"] });
    asApp();
    expect(await command.run(["--at", T0], io(env))).toBe(0);
    asApp();
    const cli = io(env);
    expect(await command.run(["--at", "2025-06-04T10:30:00Z"], cli)).toBe(0);
    expect(cli.lines[0]).toBe(`${OWNER}/${REPO} at 2025-06-04T10:30:00.000Z (governance aaaaaaa): 4 action(s)`);
    expect(cli.lines).toContain("  - incidents: #12 P1 +30m step paged ana-owner");
  });

  it("says what is missing instead of failing obscurely", async () => {
    const cli = io({});
    expect(await main(["sweep"], cli)).toBe(2);
    expect(cli.errors.join("\n")).toContain("no credentials: set GITHUB_TOKEN and GITHUB_REPOSITORY (GitHub Actions), or APP_ID and PRIVATE_KEY (the GitHub App)");
    const bad = io({ GITHUB_TOKEN: "t", GITHUB_REPOSITORY: `${OWNER}/${REPO}` });
    expect(await main(["sweep", "--at", "tomorrow"], bad)).toBe(2);
    expect(bad.errors.join("\n")).toContain("--at needs an ISO instant with its offset");
  });
});
