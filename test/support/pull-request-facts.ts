import type { Governance } from "../../src/core/model/governance.js";
import type { PullRequestFacts } from "../../src/core/signoff/facts.js";

/**
 * The facts of a pull request into `main` for the pure sign-off core: by default rita-release's,
 * proposing nothing, with the governance's own state as its base. `files` and `head` are the
 * changed files and the proposed state files; anything else overrides the field of that name.
 */
export function pullRequestFacts(
  g: Governance,
  input: Partial<Omit<PullRequestFacts, "files" | "state">> & { files?: PullRequestFacts["files"]; head?: PullRequestFacts["state"]["head"] } = {},
): PullRequestFacts {
  const { files = [], head = {}, ...fields } = input;
  return {
    number: 1,
    author: { login: "rita-release", type: "User" },
    headSha: "h".repeat(40),
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body: "",
    labels: [],
    files,
    state: { base: { phase: g.state.phase, killswitch: g.state.killswitch, log: g.state.log }, head },
    ...fields,
  };
}
