import type { GitHubEmulator } from "../emulator/index.js";

export type Echo = [event: string, payload: Record<string, unknown>];

/**
 * The webhooks GitHub would send back for what Charter did in one emulated repository since the
 * last look: a push for each moved branch (and `synchronize` for the open pull requests on it), an
 * `opened` for each new pull request, a `created` for each new comment by Charter's bot. What a
 * test does itself is remembered first (`remember`, `saw`), so only Charter's own actions echo.
 */
export class CharterEchoes {
  private seenBranches = new Map<string, string>();
  private seenPulls = new Set<number>();
  private seenComments = new Set<number>();

  constructor(
    private readonly gh: GitHubEmulator,
    private readonly repoName: string,
  ) {
    this.remember();
  }

  /** Everything in the repository now is known: nothing of it echoes. */
  remember(): void {
    const repo = this.gh.repo(this.repoName);
    this.seenBranches = new Map(repo.branches);
    this.seenPulls = new Set(repo.pulls.keys());
    this.seenComments = new Set([...repo.issues.values()].flatMap((i) => i.comments.map((c) => c.id)));
  }

  /** A comment the test wrote (delivered by the test itself). */
  saw(commentId: number): void {
    this.seenComments.add(commentId);
  }

  /** The echoes of what changed since the last look; the present is then remembered. */
  take(): Echo[] {
    const REPO = this.repoName;
    const bot = this.gh.botLogin;
    const repo = this.gh.repo(REPO);
    const echoes: Echo[] = [];
    for (const [branch, sha] of repo.branches) {
      const old = this.seenBranches.get(branch);
      if (old === sha) continue;
      echoes.push(["push", this.gh.payloads.push(REPO, branch, { before: old ?? "0".repeat(40), sender: bot })]);
      for (const pull of repo.pulls.values()) {
        if (old && pull.headRef === branch && repo.issues.get(pull.number)?.state === "open") {
          echoes.push(["pull_request", this.gh.payloads.pullRequest("synchronize", REPO, pull.number, { before: old, after: sha, sender: bot })]);
        }
      }
    }
    for (const number of repo.pulls.keys()) {
      if (!this.seenPulls.has(number)) echoes.push(["pull_request", this.gh.payloads.pullRequest("opened", REPO, number, { sender: bot })]);
    }
    for (const issue of repo.issues.values()) {
      for (const c of issue.comments) {
        if (!this.seenComments.has(c.id) && c.user.toLowerCase() === bot.toLowerCase()) {
          echoes.push(["issue_comment", this.gh.payloads.issueComment("created", REPO, c.id, { sender: bot })]);
        }
      }
    }
    this.remember();
    return echoes;
  }
}
