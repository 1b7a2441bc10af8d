/**
 * Issue 14 (items 4, 5, 6 and 8), end to end: the real Charter server, signed webhooks from the
 * local GitHub emulator, this repository's governance (D9) with a break-glass, a 72-hour approval
 * validity and a 24-hour turnaround added to authority.yml.
 *
 * 1. An infra hotfix nobody signs: on-call breaks the glass, the check turns green, it is merged;
 *    nobody signs the review issue, which escalates at the deadline and again 4 hours later.
 * 2. A Terraform change waits: its SRE Lead is reminded once at 24 hours, the backup at 48 hours;
 *    an approval given then no longer counts 73 hours later.
 * 3. The GA pull request in GitHub's merge queue: its merge group is green, then red while a P1
 *    incident is open (a freeze).
 * 4. The log on the default branch: every entry Charter wrote is chained.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { verifyChain } from "../../src/core/log/chain.js";
import type { LogEntry } from "../../src/core/model/state.js";
import { BREAK_GLASS, withBreakGlass } from "../breakglass/world.js";
import { BUILD_AND_START_TIMEOUT, ensureBuilt } from "./support/build.js";
import { GA_BODY, withPhase } from "./support/stories.js";
import { repositoryGovernance, World } from "./support/world.js";

const START = "2025-06-03T08:00:00Z"; // Tuesday 10:00 in Berlin: olga-oncall is the primary on call
const at = (hours: number) => new Date(Date.parse(START) + hours * 3_600_000).toISOString();
const CONFIRM = {
  "ana-owner": "- [x] Technical criteria met, system stable",
  "pat-pm": "- [x] Client feedback acceptable, no blockers",
  "sam-sre": "- [x] Infra stable, monitoring adequate, on-call trained",
};

let w: World;
const seen: Record<string, { conclusion?: string | null; title?: string | null; summary?: string }> = {};
let hotfix = 0;
let review = 0;
let terraform = 0;
let ga = 0;
let incident = 0;
const pages: Record<string, string[]> = {};
const reminders: Record<string, string[]> = {};
const groups: Record<string, { conclusion?: string | null; title?: string | null }> = {};

const view = (number: number) => {
  const run = w.check(number);
  return { conclusion: run?.conclusion, title: run?.output.title, summary: run?.output.summary ?? "" };
};

beforeAll(async () => {
  await ensureBuilt();
  const files: Record<string, string> = { "README.md": "# ingestion\n", ...repositoryGovernance() };
  files["governance/authority.yml"] = withBreakGlass(files["governance/authority.yml"]!, `${BREAK_GLASS}\nsignoff:\n  valid_for: 72h\n  remind_after: 24h\n`);
  w = await World.start({ start: START, files });

  w.transcript.chapter("Break-glass: an unsigned hotfix is merged, its review escalates", "authority.yml break_glass: on-call or the SRE lead; the owner and the SRE lead review within 24h");
  w.at(at(0));
  hotfix = await w.openPullRequest("rita-release", { branch: "hotfix", files: { "infra/uploads.tf": 'resource "bucket" { checksum = true }\n' }, title: "Hotfix: checksum uploads", body: "Stops corrupt uploads." });
  terraform = await w.openPullRequest("rita-release", { branch: "terraform", files: { "terraform/network.tf": 'resource "vpc" {}\n' }, title: "Terraform: new VPC", body: "" });
  seen.hotfixOpened = view(hotfix);
  w.at(at(1));
  await w.comment("olga-oncall", hotfix, "/breakglass uploads are corrupting client data, incident #7");
  seen.hotfixBroken = view(hotfix);
  review = w.gh.listIssues("acme/ingestion").filter((i) => !i.isPull && i.title.startsWith("Break-glass review")).at(-1)!.number;
  w.at(at(1.1));
  await w.merge("olga-oncall", hotfix);

  // the sweeps: reminders at 24h and 48h, the review's deadline at 25h and its second step at 29h
  for (const h of [23.9, 24, 24.5, 25, 25.5, 29, 29.5, 48, 48.5]) {
    w.at(at(h));
    await w.sweep();
    pages[String(h)] = w.botComments(review).filter((c) => c.startsWith("📟"));
    reminders[String(h)] = w.botComments(terraform).filter((c) => c.startsWith("⏰"));
  }

  w.transcript.chapter("Approval validity: 72 hours", "authority.yml signoff.valid_for");
  w.at(at(49));
  await w.review("sam-sre", terraform, "APPROVED", "Looks right.");
  seen.terraformSigned = view(terraform);
  w.at(at(49 + 73));
  await w.sweep();
  seen.terraformExpired = view(terraform);

  w.transcript.chapter("Merge queue: the GA pull request's merge group, before and during a freeze", "merge_group.checks_requested");
  w.at(at(123));
  const phaseYml = w.file("governance/state/phase.yml") ?? "version: 1\nphase: P3\n";
  ga = await w.openPullRequest("rob-release", { branch: "ga", files: { "governance/state/phase.yml": withPhase(phaseYml, "P4") }, title: "GA", body: GA_BODY });
  for (const [who, text] of Object.entries(CONFIRM)) await w.review(who, ga, "APPROVED", text);
  seen.gaSigned = view(ga);
  const calm = await w.enqueue(ga);
  groups.calm = { conclusion: w.checkOn(calm)?.conclusion, title: w.checkOn(calm)?.output.title };
  w.at(at(124));
  incident = await w.openIssue("olga-oncall", { title: "Uploads failing for every workspace", body: "Error rate 40%.", labels: ["incident", "severity: P1"] });
  const frozen = await w.enqueue(ga);
  groups.frozen = { conclusion: w.checkOn(frozen)?.conclusion, title: w.checkOn(frozen)?.output.title };
}, BUILD_AND_START_TIMEOUT * 3);

afterAll(async () => {
  await w?.stop();
});

const story = () => w.transcript.toText();

describe("break-glass, end to end", () => {
  it("the unsigned hotfix is red, then green by break-glass, saying by whom and why", () => {
    expect(seen.hotfixOpened, story()).toMatchObject({ conclusion: "failure", title: "Waiting for SRE Lead" });
    expect(seen.hotfixBroken!.conclusion, story()).toBe("success");
    expect(seen.hotfixBroken!.title).toBe("Passed by break-glass (@\u200bolga-oncall): uploads are corrupting client data, incident #7");
    expect(w.issue(hotfix).state, story()).toBe("closed"); // merged
  });

  it("nobody signs the review: at the deadline the owner and the SRE lead are paged, 4 hours later the PM, each once", () => {
    expect(pages["23.9"], story()).toEqual([]);
    expect(pages["24"]).toEqual([]);
    expect(pages["25"], story()).toHaveLength(1);
    expect(pages["25"]![0]).toContain(`📟 **Break-glass review overdue: #${hotfix}**: @ana-owner (Ingestion Owner), @sam-sre (SRE Lead)`);
    expect(pages["25.5"]).toHaveLength(1);
    expect(pages["29"], story()).toHaveLength(2);
    expect(pages["29"]![1]).toContain("@pat-pm (Product Manager)");
    expect(pages["48.5"]).toHaveLength(2);
    expect(w.issue(review).state).toBe("open");
  });
});

describe("turnaround and validity, end to end", () => {
  it("the SRE lead is reminded once at 24 hours, the backup once at 48 hours", () => {
    expect(reminders["23.9"], story()).toEqual([]);
    expect(reminders["24"], story()).toHaveLength(1);
    expect(reminders["24"]![0]).toContain("- **OWNERS /terraform/**, SRE Lead: @sam-sre");
    expect(reminders["29.5"]).toHaveLength(1);
    expect(reminders["48"], story()).toHaveLength(2);
    expect(reminders["48"]![1]).toContain("SRE Lead (backup, 2d without a sign-off): @sid-sre");
    expect(reminders["48.5"]).toHaveLength(2);
  });

  it("an approval counts, and 73 hours later it does not: the sweep turns the check red, saying it expired", () => {
    expect(seen.terraformSigned, story()).toMatchObject({ conclusion: "success", title: "Signed off: OWNERS /terraform/" });
    expect(seen.terraformExpired, story()).toMatchObject({ conclusion: "failure", title: "Waiting for SRE Lead; approval by @\u200bsam-sre expired" });
  });
});

describe("merge queue, end to end", () => {
  it("the GA pull request's merge group is green, and red while a P1 incident is open", () => {
    expect(seen.gaSigned!.conclusion, story()).toBe("success");
    expect(groups.calm, story()).toEqual({ conclusion: "success", title: `#${ga}: Signed off: Phase gate P3 → P4 (GA)` });
    expect(groups.frozen, story()).toEqual({ conclusion: "failure", title: `#${ga}: Frozen by incident #${incident} (P1)` });
  });
});

describe("the log, end to end", () => {
  it("every entry Charter wrote on the default branch is chained, and the chain holds", () => {
    const entries = ((parse(w.file("governance/state/log.yml") ?? "") as { entries?: LogEntry[] }).entries ?? []);
    expect(entries.map((e) => e.action), story()).toEqual(["breakglass", "breakglass-escalated", "breakglass-escalated"]);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verifyChain(entries)).toMatchObject({ count: 3, startsAt: 1 });
    expect(verifyChain(entries).broken).toBeUndefined();
    expect(w.failedDeliveries(), story()).toEqual([]);
  });
});
