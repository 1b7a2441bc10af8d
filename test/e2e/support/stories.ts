/**
 * The three stories of the brief, played against this repository's own governance/ (D9) by people
 * on the emulator and the real Charter server. The end-to-end tests assert on what each story
 * returns; the demo prints the transcript. People and times (D9, governance/oncall.yml):
 *
 * - week of Mon 2025-06-02 09:00 Berlin: primary olga-oncall, secondary omar-oncall
 *   (`charter oncall --at 2025-06-02T10:00Z`); Ingestion Owner ana-owner (Mon–Fri 09–18 Berlin);
 *   SRE Lead sam-sre; Product Manager pat-pm.
 * - rita-reporter and rob-release hold no role.
 */
import { parse } from "yaml";
import { REPO, type World } from "./world.js";

/** The exact comment commands the stories type. */
export const COMMANDS = {
  ack: "/ack",
  resolve: "/resolve Root cause: a config push disabled the upload workers. Resolution: rolled back the config, uploads recovered.",
  /** D9 §5.1 "Suspected data corruption": anyone may activate, no approval (activate first). */
  killSwitchActivate: "/killswitch activate global data-corruption Checksums of ingested batches do not match the source",
  /** D9 §5.1 "Error rate > 20%": on-call only (rita-reporter is not). */
  killSwitchForbidden: "/killswitch activate global error-rate-20 Error rate is 23% on uploads",
  /** D9 §5.3 after a data integrity event: a resume request needing Ingestion Owner + SRE Lead + PM. */
  killSwitchResume: '/killswitch resume global --verified "Investigation complete"',
};

export const PEOPLE = {
  reporter: "rita-reporter",
  releaseManager: "rob-release",
  primary: "olga-oncall",
  secondary: "omar-oncall",
  owner: "ana-owner",
  sre: "sam-sre",
  pm: "pat-pm",
};

export const STORY_TIMES = {
  incident: "2025-06-02T10:00:00Z", // Mon 12:00 Berlin
  ga: "2025-06-03T08:00:00Z", // Tue 10:00 Berlin
  killSwitch: "2025-06-04T13:00:00Z", // Wed 15:00 Berlin
};

/** What a person sees on an issue at one moment. */
export interface IssueView {
  at: string;
  state: string;
  labels: string[];
  assignees: string[];
  /** All of Charter's comments so far, oldest first. */
  botComments: string[];
  /** Charter's comments added by the step that led here. */
  newBotComments: string[];
}

function view(w: World, number: number, before: string[] = []): IssueView {
  const issue = w.issue(number);
  const botComments = w.botComments(number);
  return {
    at: w.now,
    state: issue.state,
    labels: [...issue.labels],
    assignees: [...issue.assignees],
    botComments,
    newBotComments: botComments.slice(before.length),
  };
}

// ---------------------------------------------------------------------------------- (a) incident

export interface IncidentStory {
  issue: number;
  opened: IssueView;
  /** +16 min, first sweep: the secondary should be paged (P1: 15 min). */
  at16: IssueView;
  /** the same sweep again: nothing new. */
  at16again: IssueView;
  /** +31 min: the Ingestion Owner should be paged (30 min). */
  at31: IssueView;
  ackCommentId: number;
  ackReactions: string[];
  acked: IssueView;
  /** +65 min after an ack: nobody new is paged (the SRE Lead + PM step would have been due). */
  at65: IssueView;
  resolveCommentId: number;
  resolveReactions: string[];
  resolved: IssueView;
  /** +2 h, after resolution: nothing more happens. */
  afterResolved: IssueView;
}

export const INCIDENT_BODY = [
  "### Severity",
  "",
  "P1",
  "",
  "### Impact",
  "",
  "All uploads fail with HTTP 500 since 11:55; all clients affected",
  "",
  "### What happened",
  "",
  "The upload workers stopped after this morning's config push.",
].join("\n");

export async function incidentStory(w: World): Promise<IncidentStory> {
  const t0 = Date.parse(STORY_TIMES.incident);
  const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
  w.transcript.chapter(
    "Story 1: a P1 incident from opening through escalation, ack and resolution",
    "governance/incidents.yml, P1: ack within 15m; ladder 0m primary, 15m secondary, 30m Ingestion Owner, 60m SRE Lead + PM.",
  );
  at(0);
  // the incident issue form (labels: incident) as GitHub renders it
  const issue = await w.openIssue(PEOPLE.reporter, { title: "Uploads failing for all workspaces", body: INCIDENT_BODY, labels: ["incident"] });
  const opened = view(w, issue);

  at(16);
  await w.sweep();
  const at16 = view(w, issue, opened.botComments);
  await w.sweep();
  const at16again = view(w, issue, at16.botComments);

  at(31);
  await w.sweep();
  const at31 = view(w, issue, at16again.botComments);

  at(33);
  const ackCommentId = await w.comment(PEOPLE.secondary, issue, COMMANDS.ack);
  const acked = view(w, issue, at31.botComments);
  const ackReactions = w.botReactions(ackCommentId);

  at(65);
  await w.sweep();
  const at65 = view(w, issue, acked.botComments);

  at(80);
  const resolveCommentId = await w.comment(PEOPLE.primary, issue, COMMANDS.resolve);
  const resolved = view(w, issue, at65.botComments);
  const resolveReactions = w.botReactions(resolveCommentId);

  at(200);
  await w.sweep();
  const afterResolved = view(w, issue, resolved.botComments);

  return { issue, opened, at16, at16again, at31, ackCommentId, ackReactions, acked, at65, resolveCommentId, resolveReactions, resolved, afterResolved };
}

// ---------------------------------------------------------------------------------- (b) GA gate

export interface CheckView {
  at: string;
  exists: boolean;
  status?: string;
  conclusion?: string | null;
  title?: string | null;
  summary?: string | null;
}

export interface GaStory {
  pr: number;
  opened: CheckView;
  ownerApproved: CheckView;
  sreVetoed: CheckView;
  sreApproved: CheckView;
  pmApproved: CheckView;
  /** governance/state/phase.yml on main after the merge */
  phaseAfterMerge: string | undefined;
}

function checkView(w: World, pr: number): CheckView {
  const run = w.check(pr);
  if (!run) return { at: w.now, exists: false };
  return { at: w.now, exists: true, status: run.status, conclusion: run.conclusion, title: run.output.title, summary: run.output.summary };
}

export const GA_BODY = [
  "Moves the ingestion rollout from phase P3 to P4 (GA).",
  "",
  "GA sign-off (D9 §6.2):",
  "",
  "- [x] Technical criteria met, system stable",
  "- [x] Client feedback acceptable, no blockers",
  "- [x] Infra stable, monitoring adequate, on-call trained",
].join("\n");

/** phase.yml with `phase:` changed, the way a person edits it (one line; the rest untouched). */
export function withPhase(phaseYml: string, phase: string): string {
  if (/^phase:.*$/m.test(phaseYml)) return phaseYml.replace(/^phase:.*$/m, `phase: ${phase}`);
  return `${phaseYml.trimEnd()}\nphase: ${phase}\n`;
}

export async function gaStory(w: World): Promise<GaStory> {
  const t0 = Date.parse(STORY_TIMES.ga);
  const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
  w.transcript.chapter(
    "Story 2: the GA gate, phase P3 → P4",
    "governance/authority.yml: P3 → P4 needs Ingestion Owner, PM and SRE Lead on the current head; any approver can veto.",
  );
  at(0);
  const phaseYml = w.file("governance/state/phase.yml") ?? "version: 1\nphase: P3\n";
  const pr = await w.openPullRequest(PEOPLE.releaseManager, {
    branch: "ga-p4",
    files: { "governance/state/phase.yml": withPhase(phaseYml, "P4") },
    title: "GA: advance the ingestion rollout from P3 to P4",
    body: GA_BODY,
  });
  const opened = checkView(w, pr);

  at(20);
  await w.review(PEOPLE.owner, pr, "APPROVED", "Technical criteria met, system stable");
  const ownerApproved = checkView(w, pr);

  at(35);
  await w.review(PEOPLE.sre, pr, "CHANGES_REQUESTED", "Monitoring for the new region is not in place yet");
  const sreVetoed = checkView(w, pr);

  at(120);
  // each signer confirms their D9 §6.2 line in the text of their approval (a tick in the description does not count)
  await w.review(PEOPLE.sre, pr, "APPROVED", "Dashboards and alerts are live.\n\n- [x] Infra stable, monitoring adequate, on-call trained");
  const sreApproved = checkView(w, pr);

  at(150);
  await w.review(PEOPLE.pm, pr, "APPROVED", "Client feedback acceptable, no blockers");
  const pmApproved = checkView(w, pr);

  at(160);
  let phaseAfterMerge: string | undefined;
  if (pmApproved.conclusion === "success") {
    await w.merge(PEOPLE.releaseManager, pr);
    phaseAfterMerge = w.file("governance/state/phase.yml");
  } else {
    w.transcript.note("the check is not green, so the pull request is not merged (branch protection would refuse)");
  }
  return { pr, opened, ownerApproved, sreVetoed, sreApproved, pmApproved, phaseAfterMerge };
}

// ---------------------------------------------------------------------------------- (c) kill-switch

export interface KillSwitchStory {
  issue: number;
  refusedCommentId: number;
  /** Charter's replies to the refused activation (mentioning its author). */
  refusedReplies: string[];
  killswitchAfterRefusal: string | undefined;
  activationCommentId: number;
  activationReactions: string[];
  killswitchActive: string | undefined;
  logAfterActivation: string | undefined;
  resumeCommentId: number;
  resumeReactions: string[];
  /** The resume pull request Charter opened (undefined if it opened none). */
  resumePr: number | undefined;
  resumePrAuthor: string | undefined;
  /** The kill-switch file on main while the resume request waits for sign-off. */
  killswitchWhileResumePending: string | undefined;
  resumeOpened: CheckView;
  resumeTwoOfThree: CheckView;
  resumeApproved: CheckView;
  killswitchAfterMerge: string | undefined;
  logAtEnd: string | undefined;
  /** Charter's comments on the incident issue at the end. */
  issueCommentsAtEnd: string[];
}

export async function killSwitchStory(w: World): Promise<KillSwitchStory> {
  const t0 = Date.parse(STORY_TIMES.killSwitch);
  const at = (minutes: number) => w.at(new Date(t0 + minutes * 60_000).toISOString());
  w.transcript.chapter(
    "Story 3: the kill-switch, activated first and resumed by approval",
    "governance/authority.yml: suspected data corruption: anyone may activate, no approval, notify everyone. Error rate > 20%: on-call only. Resuming after a data integrity event needs Ingestion Owner + SRE Lead + PM, and \"Investigation complete\".",
  );
  at(0);
  const issue = await w.openIssue(PEOPLE.primary, {
    title: "Ingested batches do not match their source checksums",
    body: INCIDENT_BODY.replace("All uploads fail with HTTP 500 since 11:55; all clients affected", "Checksums of ingested batches differ from the source since 14:40; data at risk"),
    labels: ["incident"],
  });

  at(1);
  const refusedCommentId = await w.comment(PEOPLE.reporter, issue, COMMANDS.killSwitchForbidden);
  const refusedReplies = w.botComments(issue).filter((b) => b.includes(`@${PEOPLE.reporter}`));
  const killswitchAfterRefusal = w.file("governance/state/killswitch.yml");

  at(2);
  const activationCommentId = await w.comment(PEOPLE.primary, issue, COMMANDS.killSwitchActivate);
  const activationReactions = w.botReactions(activationCommentId);
  const killswitchActive = w.file("governance/state/killswitch.yml");
  const logAfterActivation = w.file("governance/state/log.yml");

  at(150); // two and a half hours later
  const pullsBefore = new Set(w.gh.repo(REPO).pulls.keys());
  const resumeCommentId = await w.comment(PEOPLE.primary, issue, COMMANDS.killSwitchResume);
  const resumeReactions = w.botReactions(resumeCommentId);
  const resumePr = [...w.gh.repo(REPO).pulls.keys()].find((n) => !pullsBefore.has(n));
  const resumePrAuthor = resumePr === undefined ? undefined : w.issue(resumePr).user;
  const killswitchWhileResumePending = w.file("governance/state/killswitch.yml");
  const none: CheckView = { at: w.now, exists: false };
  const resumeOpened = resumePr === undefined ? none : checkView(w, resumePr);

  let resumeTwoOfThree = none;
  let resumeApproved = none;
  let killswitchAfterMerge: string | undefined;
  if (resumePr !== undefined) {
    at(160);
    // the verification step is confirmed by a signer in the text of their approval
    await w.review(PEOPLE.owner, resumePr, "APPROVED", "Corrupted batches re-ingested.\n\n- [x] Investigation complete");
    at(165);
    await w.review(PEOPLE.sre, resumePr, "APPROVED", "Infra checks green");
    resumeTwoOfThree = checkView(w, resumePr);
    at(170);
    await w.review(PEOPLE.pm, resumePr, "APPROVED", "Clients informed");
    resumeApproved = checkView(w, resumePr);
    at(175);
    if (resumeApproved.conclusion === "success") {
      await w.merge(PEOPLE.primary, resumePr);
      killswitchAfterMerge = w.file("governance/state/killswitch.yml");
    } else {
      w.transcript.note("the check is not green, so the resume pull request is not merged (branch protection would refuse)");
    }
  } else {
    w.transcript.note("Charter opened no resume pull request");
  }
  return {
    issue,
    refusedCommentId,
    refusedReplies,
    killswitchAfterRefusal,
    activationCommentId,
    activationReactions,
    killswitchActive,
    logAfterActivation,
    resumeCommentId,
    resumeReactions,
    resumePr,
    resumePrAuthor,
    killswitchWhileResumePending,
    resumeOpened,
    resumeTwoOfThree,
    resumeApproved,
    killswitchAfterMerge,
    logAtEnd: w.file("governance/state/log.yml"),
    issueCommentsAtEnd: w.botComments(issue),
  };
}

/** Whether the global kill-switch is on in a killswitch.yml text (undefined when unreadable). */
export function globalSwitchActive(text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  try {
    const doc = parse(text) as { switches?: Record<string, { active?: unknown }> };
    const active = doc.switches?.global?.active;
    return typeof active === "boolean" ? active : undefined;
  } catch {
    return undefined;
  }
}

/** Entries of a log.yml text. */
export function logEntries(text: string | undefined): Record<string, unknown>[] {
  if (text === undefined) return [];
  try {
    const doc = parse(text) as { entries?: unknown };
    return Array.isArray(doc.entries) ? (doc.entries as Record<string, unknown>[]) : [];
  } catch {
    return [];
  }
}
