/**
 * The demo (`npm run demo` -> dist/demo/run.js -> this, compiled to dist/dev/): the local GitHub
 * emulator, the real Charter server process in demo mode (CHARTER_DEMO=1: the controllable clock
 * and the test sweep endpoint are on), the three stories against this repository's governance/,
 * a transcript on stdout and demo-output/report.md.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderReport, type Verdict } from "./report.js";
import { gaStory, globalSwitchActive, incidentStory, killSwitchStory, logEntries, PEOPLE } from "./stories.js";
import { Transcript } from "./transcript.js";
import { World, REPO } from "./world.js";

export interface DemoOptions {
  /** Output directory (default: <root>/demo-output). */
  out: string;
  /** Print the transcript as it happens. */
  print?: (line: string) => void;
}

const mentions = (comments: string[], login: string) => comments.some((c) => new RegExp(`@${login}(?![\\w-])`, "i").test(c));

/** Runs the demo; resolves to the process exit code (0 when every story did what it should). */
export async function runDemo(options: DemoOptions): Promise<number> {
  const started = performance.now();
  const print = options.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  print("Charter demo: starting a local GitHub emulator and the real Charter server (demo mode: CHARTER_DEMO=1) ...");
  const world = await World.start({
    start: "2025-06-02T10:00:00Z",
    guard: false,
    verbose: true,
    serverEnv: { NODE_ENV: undefined, CHARTER_DEMO: "1", LOG_LEVEL: "info" },
  });
  print(`  emulator: ${world.gh.url} (repository ${REPO}, governance/ from this checkout on main)`);
  print(`  server:   ${world.server.url} (node dist/main.js, pid ${world.server.child.pid})`);
  world.transcript.onEntry = (e) => print(Transcript.line(e));
  const verdicts: Verdict[] = [];
  const verdict = (story: string, check: string, ok: boolean) => verdicts.push({ story, check, ok });
  const checks: { pr: number; title: string; moment: string; conclusion: string; summary: string }[] = [];
  const showCheck = (pr: number | undefined, moment: string, view: { exists: boolean; conclusion?: string | null; status?: string; summary?: string | null }) => {
    if (pr === undefined) return;
    checks.push({ pr, title: world.issue(pr).title, moment, conclusion: view.exists ? (view.conclusion ?? view.status ?? "?") : "no check", summary: view.summary ?? "(no check run)" });
  };
  let exitCode = 0;
  try {
    const a = await incidentStory(world);
    const s1 = "1 incident";
    verdict(s1, `opened: labelled \`severity: P1\`, assigned to @${PEOPLE.primary}`, a.opened.labels.some((l) => l.toLowerCase() === "severity: p1") && a.opened.assignees.includes(PEOPLE.primary));
    verdict(s1, `12:16 no ack: @${PEOPLE.secondary} paged, once`, mentions(a.at16.newBotComments, PEOPLE.secondary) && a.at16again.newBotComments.length === 0);
    verdict(s1, `12:31 no ack: @${PEOPLE.owner} paged`, mentions(a.at31.newBotComments, PEOPLE.owner));
    verdict(s1, "/ack accepted; the 60-minute step (SRE Lead + PM) is not paged", a.ackReactions.length > 0 && !mentions(a.at65.newBotComments, PEOPLE.sre) && !mentions(a.at65.newBotComments, PEOPLE.pm));
    verdict(s1, "/resolve posts RESOLVED", a.resolveReactions.length > 0 && a.resolved.newBotComments.some((c) => c.includes("RESOLVED")));

    const b = await gaStory(world);
    const s2 = "2 GA gate";
    verdict(s2, "check red until all three roles sign", b.opened.exists && b.opened.conclusion !== "success" && b.ownerApproved.conclusion !== "success");
    verdict(s2, `@${PEOPLE.sre} requesting changes is a veto`, b.sreVetoed.conclusion === "failure");
    verdict(s2, "green with Ingestion Owner, SRE Lead and PM; merged: phase P4", b.pmApproved.conclusion === "success" && /^phase: P4\s*$/m.test(b.phaseAfterMerge ?? ""));
    showCheck(b.pr, `after @${PEOPLE.sre}'s change request`, b.sreVetoed);
    showCheck(b.pr, "after the third approval", b.pmApproved);

    const c = await killSwitchStory(world);
    const s3 = "3 kill-switch";
    verdict(s3, "activation by someone without the role is refused", c.refusedReplies.length > 0 && globalSwitchActive(c.killswitchAfterRefusal) === false);
    verdict(s3, "on-call activates at once; the log records it", globalSwitchActive(c.killswitchActive) === true && logEntries(c.logAfterActivation).some((e) => e.action === "activate"));
    verdict(s3, "resume is a pull request needing Ingestion Owner + SRE Lead + PM", c.resumePr !== undefined && c.resumeTwoOfThree.conclusion !== "success" && c.resumeApproved.conclusion === "success");
    verdict(s3, "merged: the switch is off, the log has the resume", globalSwitchActive(c.killswitchAfterMerge) === false && logEntries(c.logAtEnd).some((e) => e.action === "resume"));
    showCheck(c.resumePr, "when Charter opened it", c.resumeOpened);
    showCheck(c.resumePr, "after the third approval", c.resumeApproved);
  } catch (error) {
    world.transcript.problem(`the demo stopped: ${(error as Error).stack ?? String(error)}`);
    exitCode = 1;
  }

  const violations = world.violations.length;
  verdict("all", "every request Charter made matched GitHub's OpenAPI description", violations === 0);
  verdict("all", "every webhook was handled without an error", world.failedDeliveries().length === 0);
  const durationMs = performance.now() - started;
  const report = renderReport({
    transcript: world.transcript,
    verdicts,
    checks,
    log: world.file("governance/state/log.yml"),
    killswitch: world.file("governance/state/killswitch.yml"),
    durationMs,
    generatedAt: new Date(),
    serverCommand: "node dist/main.js",
  });
  const serverLog = world.server.rawOutput.join("\n");
  await world.stop();

  mkdirSync(options.out, { recursive: true });
  const reportPath = join(options.out, "report.md");
  writeFileSync(reportPath, report);
  writeFileSync(join(options.out, "transcript.txt"), `${world.transcript.toText()}\n`);
  writeFileSync(join(options.out, "server.log"), `${serverLog}\n`);

  print("");
  print("Outcome:");
  for (const v of verdicts) print(`  ${v.ok ? "ok  " : "FAIL"} [${v.story}] ${v.check}`);
  print("");
  print(`Report: ${reportPath} (Markdown with Mermaid timelines); transcript.txt and the server's JSON log (server.log) beside it.`);
  print(`Done in ${(durationMs / 1000).toFixed(1)} s.`);
  if (verdicts.some((v) => !v.ok)) exitCode = 1;
  return exitCode;
}
