/**
 * Hardening issue #10, item 11, end to end through the real server and the GitHub emulator:
 * Charter's own pull requests are not trusted by their editable body, another bot's `charter/*`
 * pull request is not Charter's, and a merge changes only what its files change.
 */
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealedRequest, TEST_SEAL_SECRET } from "../support/identity.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { PEOPLE } from "./support/stories.js";
import { REPO, World } from "./support/world.js";

let w: World;
const START = "2025-06-02T10:00:00Z"; // Monday: olga-oncall primary, omar-oncall secondary

beforeAll(async () => {
  await ensureBuilt();
  // The server seals with the tests' secret, so a test can forge a marker with a valid seal (as if copied).
  w = await World.start({ start: START, serverEnv: { CHARTER_SEAL_KEYS: TEST_SEAL_SECRET } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

type Switches = Record<string, Record<string, unknown>>;
const switchesNow = (): Switches => ((parse(w.file("governance/state/killswitch.yml") ?? "switches: {}") as { switches?: Switches }).switches ?? {});
const pulls = () => new Set(w.gh.repo(REPO).pulls.keys());
const newPull = (before: Set<number>) => [...w.gh.repo(REPO).pulls.keys()].find((n) => !before.has(n))!;

/** `login` edits the description of pull request `number`; `pull_request.edited` follows. */
async function editBody(login: string, number: number, body: string): Promise<void> {
  const from = w.issue(number).body ?? "";
  w.gh.updateIssue(REPO, number, { body }, login);
  const d = await w.gh.sendWebhook(w.server.webhookUrl, "pull_request", w.gh.payloads.pullRequest("edited", REPO, number, { sender: login, changes: { body: { from } } }), { secret: w.server.secret });
  expect(d.status).toBe(200);
  await w.server.idle();
}

describe("#10 item 11 through the real server", () => {
  let ops: number;

  it("an owner-signed `workspace:acme` resume whose marker was edited to `kind=activate scope=global`: the owner's pending approval stays pending, and the pull request says Charter did not act", async () => {
    ops = await w.openIssue(PEOPLE.primary, { title: "Ingestion operations", body: "Kill-switch operations for this week." });
    await w.comment(PEOPLE.primary, ops, "/killswitch activate workspace:acme error-rate-20 acme uploads failing");
    w.advanceMinutes(90);
    await w.comment(PEOPLE.secondary, ops, "/killswitch activate global error-rate-10 error rate at 12%");
    const globalBefore = switchesNow().global;
    expect(globalBefore).toMatchObject({ active: true, by: PEOPLE.secondary, approval: { status: "pending" } });

    const before = pulls();
    await w.comment(PEOPLE.primary, ops, '/killswitch resume workspace:acme --verified "Test upload passes" --verified "Metrics check"');
    const pr = newPull(before);
    expect(w.issue(pr).user).toBe(w.botLogin);
    const body = w.issue(pr).body ?? "";
    const asked = `{"kind":"resume","issue":${ops},"by":"${PEOPLE.primary}","scope":"workspace:acme"}`;
    expect(body).toContain(asked);

    w.advanceMinutes(2);
    await editBody(PEOPLE.primary, pr, body.replace(asked, `{"kind":"activate","issue":${ops},"by":"${PEOPLE.primary}","scope":"global"}`));
    await w.review(PEOPLE.owner, pr, "APPROVED", "Test upload and metrics fine");
    const opsComments = w.botComments(ops).length;
    await w.merge(PEOPLE.owner, pr);

    expect(switchesNow().global).toEqual(globalBefore); // `since` and the pending approval untouched
    expect(switchesNow()["workspace:acme"]).toEqual({ active: false }); // what the signed files say
    expect(w.botComments(ops).slice(opsComments)).toEqual([]); // no "is active since" claim on the issue
    expect(w.botComments(pr).at(-1)).toBe(
      "Charter did not act on this merge: the request marker in this pull request's description was edited, or copied from elsewhere (its seal does not match), so Charter cannot tell what was requested. The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check `governance/state/` on `main` by hand.",
    );
  });

  it("another bot's `charter/*` pull request with a validly sealed marker (copied) is not Charter's: nothing is finished and the pull request says why", async () => {
    const head = "charter/activate-workspace-globex-31337";
    const marker = sealedRequest({ kind: "activate", issue: ops, by: PEOPLE.primary, scope: "workspace:globex" }, head, REPO);
    const globex = "version: 1\nswitches:\n  workspace:globex: { active: true, since: 2025-06-01T00:00:00Z, by: olga-oncall, scenario: planned-maintenance, link: https://example.invalid }\n";
    const pr = await w.openPullRequest("helper-app[bot]", { branch: head, files: { "governance/state/killswitch.yml": globex }, title: "Kill-switch: activate workspace:globex", body: `${marker}\nActivate globex.` });
    const opsComments = w.botComments(ops).length;
    await w.merge(PEOPLE.owner, pr);
    expect(switchesNow()["workspace:globex"]).toMatchObject({ since: "2025-06-01T00:00:00Z" }); // not rewritten to the merge time
    expect(w.botComments(ops).slice(opsComments)).toEqual([]);
    expect(w.botComments(pr).at(-1)).toBe(
      "Charter did not act on this merge: this pull request was opened by helper-app[bot], not by Charter (`charter[bot]`). Only pull requests Charter opens carry its requests, whatever their branch or description say. The merged files are in effect as merged; Charter confirmed nothing, notified nobody and wrote no follow-up. Check `governance/state/` on `main` by hand.",
    );
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
