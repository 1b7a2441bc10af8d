/**
 * Issue 14 item 2, end to end through the real server and the GitHub emulator: a swap is a pull
 * request the two people approve. It stays red until both have approved, turns green, and once
 * merged `charter oncall --at` and the next page follow it. Attacks: a third person's approval, the
 * requester editing the description or pushing to the branch, a forged marker.
 *
 * D9 (governance/oncall.yml): week of Mon 2025-06-09 09:00 Berlin, primary omar-oncall, secondary
 * opal-oncall; oscar-oncall is off that week. SRE Lead sam-sre may act on anyone's behalf
 * (authority.yml `swaps.on_behalf`).
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseDocument } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";
import { sealedRequest, TEST_SEAL_SECRET } from "../support/identity.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { INCIDENT_BODY } from "./support/stories.js";
import { REPO, World } from "./support/world.js";

let w: World;
const START = "2025-06-02T10:00:00Z";
const SWAP = "/swap @omar-oncall @oscar-oncall 2025-06-09T09:00 2025-06-16T09:00";

beforeAll(async () => {
  await ensureBuilt();
  // the server seals with the tests' secret, so a test can make a marker with a valid seal (as if copied)
  w = await World.start({ start: START, serverEnv: { CHARTER_SEAL_KEYS: TEST_SEAL_SECRET } });
}, BUILD_AND_START_TIMEOUT);

afterAll(async () => {
  await w?.stop();
});

const pulls = () => new Set(w.gh.repo(REPO).pulls.keys());
const newPull = (before: Set<number>) => [...w.gh.repo(REPO).pulls.keys()].find((n) => !before.has(n))!;
const conclusion = (pr: number) => w.check(pr)?.conclusion;
/** The check's summary, mentions made readable (Charter quiets every @ in it). */
const summary = (pr: number) => (w.check(pr)?.output.summary ?? "").replace(/\u200b/g, "");

/** `charter oncall` against the default branch's governance files, as a lead runs it in a checkout. */
async function oncallAt(at: string): Promise<string> {
  const { code, out } = await cli(["oncall", "--at", at, "--schedule", "ingestion"]);
  expect(code, out).toBe(0);
  return out;
}

/** A `charter` command in a checkout of the default branch's governance files. */
async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), "charter-swap-"));
  try {
    for (const path of ["governance/oncall.yml", "governance/roles.yml", "governance/authority.yml", "governance/incidents.yml", "governance/OWNERS", "governance/state/log.yml", "governance/state/phase.yml", "governance/state/killswitch.yml"]) {
      const text = w.file(path);
      if (text === undefined) continue;
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const out: string[] = [];
    const io: CliIO = { out: (t) => out.push(t), err: (t) => out.push(t), env: {}, cwd: dir };
    const code = await main(args, io);
    return { code, out: out.join("\n") };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** oncall.yml with one more override of the ingestion schedule (as a person would add it). */
function withOverride(text: string, override: Record<string, string>): string {
  const doc = parseDocument(text);
  (doc.getIn(["schedules", "ingestion", "overrides"]) as { add(v: unknown): void }).add(doc.createNode(override));
  return doc.toString();
}

async function swapPull(requester: string, issue: number, command = SWAP): Promise<number> {
  const before = pulls();
  await w.comment(requester, issue, command);
  const pr = newPull(before);
  expect(pr, w.botComments(issue).join("\n")).toBeDefined();
  expect(w.issue(pr).user).toBe(w.botLogin);
  return pr;
}

describe("a swap through the real server", () => {
  let issue: number;
  let pr: number;

  it("the SRE Lead asks for a swap on an issue: Charter opens a pull request and its check is red, waiting for both people", async () => {
    issue = await w.openIssue("sam-sre", { title: "Omar's week of 9 June", body: "Omar is travelling that week; Oscar takes it." });
    pr = await swapPull("sam-sre", issue);
    expect(w.botComments(issue).at(-1)).toContain(`I opened #${pr} with the swap (@omar-oncall ↔ @oscar-oncall, Mon 2025-06-09 09:00 (+02:00) → Mon 2025-06-16 09:00 (+02:00))`);
    expect(conclusion(pr)).toBe("failure");
    expect(summary(pr)).toContain("On-call swap (@omar-oncall ↔ @oscar-oncall)");
    expect(summary(pr)).toContain("@oscar-oncall (or SRE Lead on their behalf)");
    // both people are asked for a review; nobody else is
    expect(w.gh.getPullRequest(REPO, pr).pull.requestedReviewers).toEqual(["omar-oncall", "oscar-oncall"]);
  });

  it("one person approving is not enough; a third person's approval does not count", async () => {
    await w.review("omar-oncall", pr, "APPROVED");
    expect(conclusion(pr)).toBe("failure");
    await w.review("ana-owner", pr, "APPROVED");
    expect(conclusion(pr)).toBe("failure");
    expect(summary(pr)).toMatch(/ana-owner.*approved, but holds none of the roles that must sign/);
  });

  it("both people approved: the check turns green", async () => {
    await w.review("oscar-oncall", pr, "APPROVED");
    expect(conclusion(pr), summary(pr)).toBe("success");
  });

  it("merged: the issue hears it is in effect, `charter oncall --at` and the next page follow the swap", async () => {
    expect(await oncallAt("2025-06-10T10:00Z")).toContain("primary (Primary): omar-oncall");
    await w.merge("sam-sre", pr);
    expect(w.botComments(issue).at(-1)).toBe(
      `@sam-sre the on-call swap is **in effect**: #${pr} was merged by @sam-sre. 1 override of \`governance/oncall.yml\` now decide who is paged (@omar-oncall, @oscar-oncall); \`charter oncall --at <instant>\` shows it.`,
    );
    const after = await oncallAt("2025-06-10T10:00Z");
    expect(after).toContain("primary (Primary): oscar-oncall");
    expect(after).toContain("replaces omar-oncall");
    // the next page: a P1 on Tue 10 June is assigned to oscar-oncall, not omar-oncall
    w.at("2025-06-10T08:00:00Z");
    const incident = await w.openIssue("rita-reporter", { title: "Uploads failing", body: INCIDENT_BODY, labels: ["incident"] });
    expect(w.issue(incident).assignees.map((a) => a.toLowerCase())).toEqual(["oscar-oncall"]);
    expect(w.botComments(incident).join("\n")).toContain("@oscar-oncall");
    expect(w.botComments(incident).join("\n")).not.toContain("@omar-oncall");
  });
});

describe("an urgent override through the real server", () => {
  it("on-call hands the rest of the day to olga at once: the next page follows it, the log chain holds, olga approves afterwards", async () => {
    w.at("2025-06-12T08:00:00Z"); // Thu 10:00 Berlin: oscar-oncall primary (the swap above)
    const issue = await w.openIssue("oscar-oncall", { title: "Dentist", body: "Olga covers the rest of my day." });
    await w.comment("oscar-oncall", issue, "/override 2025-06-12T10:00 2025-06-12T18:00 @olga-oncall urgent dentist emergency");
    expect(w.botComments(issue).at(-1)).toContain("the urgent override is **in effect now**");
    expect(await oncallAt("2025-06-12T09:00Z")).toContain("primary (Primary): olga-oncall");
    const incident = await w.openIssue("rita-reporter", { title: "Uploads slow", body: INCIDENT_BODY, labels: ["incident"] });
    expect(w.issue(incident).assignees.map((a) => a.toLowerCase())).toEqual(["olga-oncall"]);
    await w.comment("olga-oncall", issue, "/override approve");
    expect(w.botComments(issue).at(-1)).toContain("Everyone involved has approved it.");
    const verify = await cli(["log", "--verify"]);
    expect(verify, verify.out).toMatchObject({ code: 0 });
    expect(w.file("governance/state/log.yml")).toMatch(/action: oncall-override\n[\s\S]*action: oncall-override-approved\n/);
  });
});

describe("attacks on a swap pull request", () => {
  it("the requester edits the description (the sealed request): the people's approvals no longer pass it, the owners of governance/ must sign", async () => {
    const issue = await w.openIssue("opal-oncall", { title: "Swap", body: "Opal and Olga trade a day." });
    const pr = await swapPull("opal-oncall", issue, "/swap @opal-oncall @olga-oncall 2025-06-12T09:00 2025-06-13T09:00");
    const body = w.issue(pr).body ?? "";
    await w.editPullRequestBody("opal-oncall", pr, body.replace('"people":["opal-oncall","olga-oncall"]', '"people":["opal-oncall","opal-oncall"]'));
    await w.review("olga-oncall", pr, "APPROVED");
    expect(conclusion(pr)).toBe("failure");
    expect(summary(pr)).not.toContain("On-call swap (");
    expect(summary(pr)).toContain("the request marker's seal does not match (the description was edited, or the marker was copied from elsewhere)), so this is not a swap or override Charter opened: the owners of governance/ sign this change, not the people of a swap");
    expect(summary(pr)).toContain("OWNERS /governance/");
  });

  it("the requester pushes to the branch (another override): the check goes back to the owners of governance/", async () => {
    const issue = await w.openIssue("opal-oncall", { title: "Swap 2", body: "Another." });
    const pr = await swapPull("opal-oncall", issue, "/swap @opal-oncall @olga-oncall 2025-06-19T09:00 2025-06-20T09:00");
    await w.review("olga-oncall", pr, "APPROVED");
    expect(conclusion(pr), summary(pr)).toBe("success");
    const { pull } = w.gh.getPullRequest(REPO, pr);
    const extra = withOverride(w.file("governance/oncall.yml", pull.headRef)!, { tier: "secondary", from: "2025-06-16T09:00+02:00", until: "2025-06-23T09:00+02:00", who: "olga-oncall", replaces: "oscar-oncall", reason: `swap opal-oncall ↔ olga-oncall (#${issue})` });
    const before = pull.headSha;
    w.gh.commitFiles(REPO, pull.headRef, { "governance/oncall.yml": extra }, "one more week", { author: "opal-oncall" });
    const d = await w.gh.sendWebhook(w.server.webhookUrl, "pull_request", w.gh.payloads.pullRequest("synchronize", REPO, pr, { sender: "opal-oncall", before }), { secret: w.server.secret });
    expect(d.status).toBe(200);
    await w.server.idle();
    await w.review("olga-oncall", pr, "APPROVED");
    expect(conclusion(pr)).toBe("failure");
    expect(summary(pr)).toContain("not those of the swap Charter's sealed request asked for");
  });

  it("a forged marker: a person's own pull request carrying a validly sealed swap request (copied) is not Charter's", async () => {
    const head = "charter/swap-424242";
    const forged = withOverride(w.file("governance/oncall.yml")!, { tier: "primary", from: "2025-06-23T09:00+02:00", until: "2025-06-30T09:00+02:00", who: "oscar-oncall", replaces: "opal-oncall", reason: "swap opal-oncall ↔ oscar-oncall (#1)" });
    const marker = sealedRequest({ kind: "swap", issue: 1, by: "opal-oncall", people: ["opal-oncall", "oscar-oncall"], change: "sha256:0" }, head, REPO);
    const pr = await w.openPullRequest("opal-oncall", { branch: head, files: { "governance/oncall.yml": forged }, title: "On-call swap", body: `${marker}\nSwap.` });
    await w.review("oscar-oncall", pr, "APPROVED");
    expect(conclusion(pr)).toBe("failure");
    expect(summary(pr)).toContain("not by Charter (@charter[bot]): a request marker counts only on Charter's own pull requests), so this is not a swap or override Charter opened: the owners of governance/ sign this change, not the people of a swap");
    expect(summary(pr)).toContain("OWNERS /governance/");
  });

  it("every request Charter made was valid for GitHub's API, and every delivery was handled", () => {
    expect(w.violations).toEqual([]);
    expect(w.failedDeliveries()).toEqual([]);
    expect(w.transcript.problems()).toEqual([]);
  });
});
