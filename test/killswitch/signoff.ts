/**
 * The sign-off check (issue 3's pure core) on a pull request Charter opened, evaluated from the
 * fake repository's files: policy from the default branch, the proposed state from the head.
 */
import { parse } from "yaml";
import { KillSwitchStateFile, LogFile, PhaseStateFile } from "../../src/core/model/state.js";
import { evaluateSignoff, requestFact, selectGates, signoffCheck, taskItems, type ChangedFile, type CheckOutput, type ProposedFile, type PullRequestFacts, type ReviewFact, type SignoffTree } from "../../src/core/signoff/index.js";
import type { Governance } from "../../src/core/model/governance.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { requestIn } from "../support/identity.js";
import { APP_LOGIN, FULL, type FakeGitHub, type PullRecord } from "./fake-github.js";
import { patchOf } from "./patch.js";

export { patchOf };

export async function governanceOn(fake: FakeGitHub, branch = "main"): Promise<Governance> {
  const files: Record<string, string> = {};
  for (const name of ["roles.yml", "oncall.yml", "incidents.yml", "authority.yml", "services.yml", "OWNERS", "state/phase.yml", "state/killswitch.yml", "state/log.yml"]) {
    const t = fake.file(name, branch);
    if (t !== undefined) files[name] = t;
  }
  const r = await loadGovernance(memorySource(files));
  if (!r.ok) throw new Error(`governance on ${branch} is invalid: ${JSON.stringify(r.diagnostics)}`);
  return r.governance;
}

function proposed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, text: string | undefined): ProposedFile<T> {
  if (text === undefined) return { kind: "removed" };
  const r = schema.safeParse(parse(text));
  return r.success ? { kind: "valid", value: r.data } : { kind: "invalid", message: "invalid" };
}

export interface Review {
  login: string;
  state?: ReviewFact["state"];
  /** The review's text (confirmations are given in it). */
  body?: string;
}

/** Evaluate the `Charter sign-off` check of a Charter pull request at `now`, with these reviews of its head. */
export async function signoffOf(fake: FakeGitHub, pr: PullRecord, reviews: Review[], now: Date, body = pr.body): Promise<{ tree: SignoffTree; check: CheckOutput }> {
  const g = await governanceOn(fake);
  const headSha = fake.branches.get(pr.head)!;
  const files: ChangedFile[] = [];
  const head: PullRequestFacts["state"]["head"] = {};
  for (const name of ["state/phase.yml", "state/killswitch.yml", "state/log.yml"] as const) {
    const before = fake.file(name, "main");
    const after = fake.file(name, pr.head);
    if (before === after) continue;
    // GitHub diffs a pull request's files against the merge base: where its branch was created
    const point = fake.branchPoints.get(pr.head);
    const atPoint = point === undefined ? before : fake.git.fileAt(point, `governance/${name}`)?.content;
    files.push({ filename: `governance/${name}`, status: before === undefined ? "added" : "modified", patch: patchOf(atPoint, after ?? "") });
    if (name === "state/phase.yml") head.phase = proposed(PhaseStateFile, after);
    if (name === "state/killswitch.yml") head.killswitch = proposed(KillSwitchStateFile, after);
    if (name === "state/log.yml") head.log = proposed(LogFile, after);
  }
  const facts: PullRequestFacts = {
    number: pr.number,
    author: { login: APP_LOGIN, type: "Bot" },
    headSha,
    baseRef: "main",
    defaultBranch: "main",
    draft: false,
    body,
    labels: [],
    files,
    state: { base: g.state, head },
    // Charter opened it: its sealed request counts (src/handlers/signoff-run.ts decides the same)
    request: requestFact({ decoded: requestIn({ body, head: pr.head }), charterAuthored: true, author: APP_LOGIN }),
  };
  const gates = selectGates(g, facts, now);
  const tree = evaluateSignoff({
    governance: g,
    facts,
    gates,
    reviews: reviews.map((r, i) => ({ id: i + 1, login: r.login, userType: "User", state: r.state ?? "APPROVED", commitId: headSha, submittedAt: now.toISOString(), association: "MEMBER", body: r.body ?? "" })),
    now,
  });
  return { tree, check: signoffCheck(tree, { repoUrl: `https://github.com/${FULL}`, branch: "main", sha: fake.branches.get("main")! }) };
}

/**
 * Every task-list item of a pull request's body, ticked, as the text of an approving review: a
 * confirmation counts only when a holder of the role confirms it in their approving review (a
 * tick in the description counts for nothing).
 */
export function confirmAll(body: string): string {
  return taskItems(body)
    .map((item) => `- [x] ${item.text}`)
    .join("\n");
}
