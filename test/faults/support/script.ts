/**
 * The scripted mix the fault tests play twice (once with faults, once without) and the outcome they
 * compare: a GA gate pull request and its reviews, an incident with commands, a refused kill-switch
 * activation, and two activations racing for the same state files. People do what Charter tells
 * them: a command it answers with "could not finish … run the command again" is run again.
 */
import { COMMANDS, GA_BODY, INCIDENT_BODY, PEOPLE, withPhase } from "../../e2e/support/stories.js";
import { REPO, type FaultWorld } from "./world.js";

export const SCRIPT_START = "2025-06-04T13:00:00Z"; // Wed 15:00 Berlin (see test/e2e/support/stories.ts)

export const RACE = {
  alpha: "/killswitch activate workspace:alpha data-corruption Checksums of alpha's batches differ from the source",
  beta: "/killswitch activate workspace:beta data-corruption Checksums of beta's batches differ from the source",
};

export interface ScriptRun {
  ga: number;
  incident: number;
  /** Comment ids of the commands, by what they are. */
  commands: Record<string, number>;
}

const minutes = (n: number) => new Date(Date.parse(SCRIPT_START) + n * 60_000).toISOString();

/** What Charter says when GitHub failed it mid-command (src/handlers/commands/dispatch.ts): "Run the command again". */
export const TOLD_TO_RETRY = /could not finish .* Run the command again/s;

/**
 * A person who does what Charter tells them: when the reply to their command says it could not
 * finish and to run it again, they do (at most twice). Without faults this is one comment.
 */
async function command(w: FaultWorld, who: string, issue: number, body: string, first?: number): Promise<number> {
  let id = first ?? (await w.comment(who, issue, body));
  for (let again = 0; again < 2; again++) {
    const quoted = `> ${body.split("\n")[0]!.slice(0, 200)}`;
    const told = w.botComments(issue).some((b) => b.startsWith(quoted) && TOLD_TO_RETRY.test(b) && b.includes(`@${who} `) && !writtenBefore(w, issue, b, id));
    if (!told) break;
    id = await w.comment(who, issue, body);
  }
  return id;
}

/** Whether the bot comment `reply` was written before the comment `id` (so it answers an earlier try). */
function writtenBefore(w: FaultWorld, issue: number, reply: string, id: number): boolean {
  const comments = w.gh.listComments(REPO, issue);
  const replyIndex = comments.findIndex((c) => c.body === reply);
  const commandIndex = comments.findIndex((c) => c.id === id);
  return replyIndex >= 0 && commandIndex >= 0 && replyIndex < commandIndex;
}

/** Plays the script. Every step completes before the next starts, except the race (concurrent). */
export async function playScript(w: FaultWorld): Promise<ScriptRun> {
  const commands: Record<string, number> = {};
  w.at(minutes(0));
  const phaseYml = w.file("governance/state/phase.yml") ?? "version: 1\nphase: P3\n";
  const ga = await w.openPullRequest(PEOPLE.releaseManager, {
    branch: "ga-p4",
    files: { "governance/state/phase.yml": withPhase(phaseYml, "P4") },
    title: "GA: advance the ingestion rollout from P3 to P4",
    body: GA_BODY,
  });

  w.at(minutes(1));
  const incident = await w.openIssue(PEOPLE.primary, { title: "Ingested batches do not match their source checksums", body: INCIDENT_BODY, labels: ["incident"] });

  w.at(minutes(3));
  commands.ack = await command(w, PEOPLE.primary, incident, COMMANDS.ack);
  w.at(minutes(4));
  commands.forbidden = await command(w, PEOPLE.reporter, incident, COMMANDS.killSwitchForbidden);

  // The race: two people activate two workspaces at the same moment; both deliveries are in flight
  // together, so both write killswitch.yml and log.yml from the same blob sha.
  w.at(minutes(5));
  const a = w.writeComment(PEOPLE.primary, incident, RACE.alpha);
  const b = w.writeComment(PEOPLE.secondary, incident, RACE.beta);
  await Promise.all([w.deliver("issue_comment", a.delivery()), w.deliver("issue_comment", b.delivery())]);
  await w.settle();
  commands.alpha = await command(w, PEOPLE.primary, incident, RACE.alpha, a.id);
  commands.beta = await command(w, PEOPLE.secondary, incident, RACE.beta, b.id);

  w.at(minutes(20));
  await w.review(PEOPLE.owner, ga, "APPROVED", "Technical criteria met, system stable");
  w.at(minutes(25));
  await w.review(PEOPLE.sre, ga, "CHANGES_REQUESTED", "Monitoring for the new region is not in place yet");
  w.at(minutes(30));
  commands.status = await command(w, PEOPLE.primary, incident, "/killswitch status");
  w.at(minutes(40));
  await w.sweep();
  w.at(minutes(60));
  await w.review(PEOPLE.sre, ga, "APPROVED", "Dashboards and alerts are live; on-call trained");
  w.at(minutes(70));
  await w.review(PEOPLE.pm, ga, "APPROVED", "Client feedback acceptable, no blockers");
  w.at(minutes(90));
  await w.sweep();
  return { ga, incident, commands };
}

/** What a person would see at the end, with run-specific details (ports, ids, shas) normalised. */
export interface Outcome {
  checks: Record<string, { status: string; conclusion: string | null; title: string | null; summary: string | null }>;
  killswitch: string | undefined;
  log: string | undefined;
  phase: string | undefined;
  issues: Record<string, { state: string; labels: string[]; assignees: string[]; botComments: string[]; commands: string[] }>;
  reactions: Record<string, string[]>;
}

export function outcome(w: FaultWorld, run: ScriptRun): Outcome {
  const norm = (s: string | null | undefined): string | null => (s == null ? null : s.replace(/127\.0\.0\.1:\d+/g, "HOST").replace(/\b[0-9a-f]{40}\b/g, "SHA").replace(/\b[0-9a-f]{7}\b/g, "SHORT"));
  const repo = w.gh.repo(REPO);
  const checks: Outcome["checks"] = {};
  for (const pull of repo.pulls.values()) {
    const c = w.check(pull.number);
    checks[`#${pull.number} ${pull.headRef}`] = c
      ? { status: c.status, conclusion: c.conclusion, title: norm(c.output.title), summary: norm(c.output.summary) }
      : { status: "none", conclusion: null, title: null, summary: null };
  }
  const issues: Outcome["issues"] = {};
  for (const issue of repo.issues.values()) {
    issues[`#${issue.number}`] = {
      state: issue.state,
      labels: [...issue.labels].sort(),
      assignees: [...issue.assignees].sort(),
      botComments: w.botComments(issue.number).map((b) => norm(b)!),
      // what people asked, as Charter's replies quote it: "> first line" and "@author"
      commands: w.gh
        .listComments(REPO, issue.number)
        .filter((c) => c.user.toLowerCase() !== w.botLogin.toLowerCase() && c.body.startsWith("/"))
        .map((c) => `> ${c.body.split("\n")[0]!.slice(0, 200)}\n\n@${c.user} `),
    };
  }
  const reactions: Outcome["reactions"] = {};
  for (const [name, id] of Object.entries(run.commands)) reactions[name] = w.botReactions(id).sort();
  return {
    checks,
    killswitch: norm(w.file("governance/state/killswitch.yml")) ?? undefined,
    log: norm(w.file("governance/state/log.yml")) ?? undefined,
    phase: norm(w.file("governance/state/phase.yml")) ?? undefined,
    issues,
    reactions,
  };
}
