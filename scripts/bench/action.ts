/**
 * The bundled action's cost per event (`npm run bench`, or alone: `BENCH_ONLY=action npm run bench`).
 *
 * A runner starts a JavaScript action as `node <action>/dist-action/index.mjs` with the event in a
 * file and the inputs as INPUT_* variables: no checkout of Charter, no install, no build. Measured
 * here exactly so (a fresh directory holding only the bundle and the event), for a
 * `pull_request_review` on a new pull request each run: the time from spawning the process to the
 * moment the emulator received the write of the "Charter sign-off" check, and to the process's exit.
 * Baselines in the same run, alternated with it: a bare Probot start (import Probot, construct it,
 * load an app that registers the same events: scripts/bench/cold-start.mjs), and the unbundled
 * entry point `node dist/actions/main.js` (what the workflow ran before the bundle, after its
 * checkout, `npm ci` and build).
 */
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { GitHubEmulator } from "../../test/emulator/index.js";
import { GA_BODY, withPhase } from "../../test/e2e/support/stories.js";
import { CHARTER_EVENTS } from "./protocol.js";

export interface ActionFigures {
  runs: number;
  /** spawn → the check run's write received by the emulator, per run (ms) */
  bundleToCheckMs: number[];
  /** spawn → exit of the bundle, per run (ms) */
  bundleExitMs: number[];
  /** the same for `node dist/actions/main.js` (undefined when dist/ is missing) */
  distToCheckMs?: number[];
  distExitMs?: number[];
  /** spawn → exit of a bare Probot start (ms) */
  bareProbotMs: number[];
  bundleBytes: number;
}

const ACTIONS_BOT = "github-actions[bot]";

function runProcess(args: string[], cwd: string, env: Record<string, string>): Promise<{ exitMs: number; startedAt: number }> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const t0 = performance.now();
    const proc = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    proc.stderr!.on("data", (c: Buffer) => (err += c.toString()));
    proc.on("exit", (code) => (code === 0 ? resolve({ exitMs: performance.now() - t0, startedAt }) : reject(new Error(`${args.join(" ")} exited with ${code}: ${err.slice(-2000)}`))));
  });
}

export async function actionBench(gh: GitHubEmulator, options: { root: string; keyFile: string; runs: number }): Promise<ActionFigures> {
  const bundle = join(options.root, "dist-action", "index.mjs");
  const distMain = join(options.root, "dist", "actions", "main.js");
  const repo = "acme/action-bench";
  const { repositoryGovernance } = await import("../../test/e2e/support/world.js");
  gh.createRepo(repo, { files: { "README.md": "# bench\n", ...repositoryGovernance() } });
  const token = gh.tokenFor(ACTIONS_BOT);
  const figures: ActionFigures = { runs: options.runs, bundleToCheckMs: [], bundleExitMs: [], bareProbotMs: [], bundleBytes: 0, ...(existsSync(distMain) ? { distToCheckMs: [], distExitMs: [] } : {}) };
  let n = 0;

  /** A new pull request with one approval, its review event in a fresh directory; returns the directory and head. */
  const prepare = (withBundle: boolean) => {
    n++;
    const dir = mkdtempSync(join(tmpdir(), "charter-action-bench-"));
    if (withBundle) copyFileSync(bundle, join(dir, "index.mjs"));
    const phase = gh.getFile(repo, "governance/state/phase.yml")!;
    gh.commitFiles(repo, `ga-${n}`, { "governance/state/phase.yml": withPhase(phase, "P4") }, "GA", { author: "rob-release" });
    const { issue, pull } = gh.openPullRequest(repo, { head: `ga-${n}`, title: `GA ${n}`, body: GA_BODY, user: "rob-release" });
    const review = gh.submitReview(repo, issue.number, { user: "ana-owner", state: "APPROVED" });
    const payload = gh.payloads.pullRequestReview("submitted", repo, issue.number, review.id, { sender: "ana-owner" });
    delete (payload as { installation?: unknown }).installation;
    writeFileSync(join(dir, "event.json"), JSON.stringify(payload));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      CI: "true",
      GITHUB_ACTIONS: "true",
      GITHUB_EVENT_NAME: "pull_request_review",
      GITHUB_EVENT_PATH: join(dir, "event.json"),
      GITHUB_REPOSITORY: repo,
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_RUN_ID: String(1000 + n),
      GITHUB_RUN_ATTEMPT: "1",
      "INPUT_GITHUB-TOKEN": token,
      "INPUT_LOG-LEVEL": "warn",
      GITHUB_TOKEN: token, // for the unbundled entry point, which reads the step's env
      LOG_LEVEL: "warn",
    };
    return { dir, env, headSha: pull.headSha };
  };
  const checkWrittenAt = (headSha: string): number => {
    const run = gh.listCheckRuns(repo, headSha).find((c) => c.name === "Charter sign-off");
    if (!run) throw new Error(`no Charter sign-off check on ${headSha}`);
    const writes = gh.requestLog.filter((e) => e.write && e.operationId?.startsWith("checks/") && e.status < 300);
    const last = writes.at(-1);
    if (!last) throw new Error("the emulator saw no check run write");
    return last.at + last.durationMs;
  };
  const once = async (kind: "bundle" | "dist" | "bare") => {
    if (kind === "bare") {
      const dir = mkdtempSync(join(tmpdir(), "charter-action-bench-"));
      const r = await runProcess([join(options.root, "scripts", "bench", "cold-start.mjs"), "bare", options.keyFile], dir, { PATH: process.env.PATH ?? "", BENCH_EVENTS: JSON.stringify(CHARTER_EVENTS) });
      return { kind, exitMs: r.exitMs };
    }
    const { dir, env, headSha } = prepare(kind === "bundle");
    gh.clearRequestLog();
    const r = await runProcess(kind === "bundle" ? ["index.mjs"] : [distMain], dir, env);
    return { kind, exitMs: r.exitMs, toCheckMs: checkWrittenAt(headSha) - r.startedAt };
  };

  // warm the file system cache for each, then alternate
  await once("bare");
  await once("bundle");
  if (figures.distToCheckMs) await once("dist");
  for (let i = 0; i < options.runs; i++) {
    figures.bareProbotMs.push((await once("bare")).exitMs);
    const b = await once("bundle");
    figures.bundleExitMs.push(b.exitMs);
    figures.bundleToCheckMs.push(b.toCheckMs!);
    if (figures.distToCheckMs) {
      const d = await once("dist");
      figures.distExitMs!.push(d.exitMs);
      figures.distToCheckMs.push(d.toCheckMs!);
    }
  }
  const { statSync } = await import("node:fs");
  figures.bundleBytes = statSync(bundle).size;
  return figures;
}
