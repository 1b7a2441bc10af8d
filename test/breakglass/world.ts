/**
 * Break-glass tests run the real app in-process against the local GitHub emulator (the fault
 * world of test/faults, with no faults): the log is really written on the default branch, the
 * review issue really opened, and what GitHub would send back for Charter's own actions is
 * delivered ("echoes").
 */
import { parse } from "yaml";
import type { LogEntry } from "../../src/core/model/state.js";
import { FaultWorld, REPO } from "../faults/support/world.js";

/** Tuesday 10:00 in Berlin: olga-oncall is the primary on call (governance/oncall.yml). */
export const T0 = "2025-06-03T08:00:00Z";

/** This repository's authority.yml with a break-glass: on-call or the SRE lead break it; the owner and the SRE lead review it within 24 h. */
export function withBreakGlass(authority: string, block = BREAK_GLASS): string {
  return authority.replace("# §8 Decision authority summary.", `${block}\n# §8 Decision authority summary.`);
}

export const BREAK_GLASS = [
  "break_glass:",
  "  who: [on-call, sre-lead]",
  "  review:",
  "    roles: [ingestion-owner, sre-lead]",
  "    within: 24h",
  "    escalation:",
  "      - { after: 0m, notify: [ingestion-owner, sre-lead] }",
  "      - { after: 4h, notify: [product-manager], note: Nobody has reviewed the break-glass. }",
  "",
].join("\n");

export class BreakGlassWorld {
  private constructor(readonly w: FaultWorld) {}

  static async start(options: { start?: string; block?: string } = {}): Promise<BreakGlassWorld> {
    // no faults here: a request timeout a loaded machine cannot hit (the fault suite's 250 ms is for injected delays)
    const w = await FaultWorld.start({ start: options.start ?? T0, policy: { requestTimeoutMs: 10_000 } });
    const authority = w.file("governance/authority.yml")!;
    w.gh.commitFiles(REPO, "main", { "governance/authority.yml": withBreakGlass(authority, options.block) }, "Add break_glass", { author: "ana-owner" });
    return new BreakGlassWorld(w);
  }

  stop(): Promise<void> {
    return this.w.stop();
  }

  at(iso: string): void {
    this.w.at(iso);
  }

  /** An infra change by `author` (OWNERS /infra/: SRE Lead must sign). */
  async infraPull(author = "rita-release", branch = "hotfix"): Promise<number> {
    return this.w.openPullRequest(author, { branch, files: { "infra/main.tf": `resource "x" { n = ${branch.length} }` }, title: "Hotfix: stop corrupting uploads", body: "Urgent." });
  }

  comment(login: string, number: number, body: string): Promise<number> {
    return this.w.comment(login, number, body);
  }

  /** Charter's replies on `number` (the quoted command, then the words). */
  replies(number: number): string[] {
    return this.w.botComments(number);
  }

  lastReply(number: number): string {
    return this.replies(number).at(-1) ?? "";
  }

  /** The log on the default branch. */
  log(): LogEntry[] {
    return ((parse(this.w.file("governance/state/log.yml") ?? "entries: []") as { entries?: LogEntry[] }).entries ?? []);
  }

  check(number: number) {
    return this.w.check(number);
  }

  issue(number: number) {
    return this.w.gh.getIssue(REPO, number);
  }

  /** The newest issue Charter opened. */
  reviewIssue() {
    return this.w.gh.listIssues(REPO).filter((i) => !i.isPull && i.user.toLowerCase() === this.w.botLogin.toLowerCase()).at(-1);
  }

  /** `login` pushes a commit to the pull request's branch; GitHub sends `synchronize`. */
  async push(number: number, branch: string, files: Record<string, string | null>): Promise<void> {
    const before = this.w.gh.getPullRequest(REPO, number).pull.headSha;
    const after = this.w.gh.commitFiles(REPO, branch, files, "more", { author: "rita-release" });
    await this.w.deliver("pull_request", this.w.gh.payloads.pullRequest("synchronize", REPO, number, { before, after, sender: "rita-release" }));
    await this.w.settle();
  }

  /** `login` merges the pull request; GitHub sends `pull_request.closed` (and the push, an echo). */
  async merge(number: number, login: string): Promise<string> {
    const sha = this.w.gh.mergePullRequest(REPO, number, login);
    await this.w.deliver("pull_request", this.w.gh.payloads.pullRequest("closed", REPO, number, { sender: login }));
    await this.w.settle(); // GitHub's push of the merge
    return sha;
  }

  sweep() {
    return this.w.sweep();
  }
}
