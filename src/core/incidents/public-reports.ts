/**
 * Incident reports from the public. On a public repository anyone can open an issue from the
 * incident form, and GitHub applies the form's `incident` label whoever opens it. `anyone` in
 * Charter means people with access to the repository, so such an issue never pages the ladder or
 * freezes a gate by itself: Charter removes its incident labels and, when incidents.yml opts in
 * (`public.intake: triage`), labels it for triage so that a role holder can `/confirm` it. What
 * Charter answers to the public is rate-limited per repository (`public.limit`).
 */
import { hasRepositoryAccess } from "../access/association.js";
import { parseDuration } from "../duration.js";
import type { IncidentsFile } from "../model/incidents.js";
import { parseIncidentForm } from "./form.js";
import { isIncidentLabel } from "./severity.js";

export const DEFAULT_TRIAGE_LABEL = {
  name: "incident: unconfirmed",
  color: "fbca04",
  description: "An incident report from someone without access; a role holder confirms it with /confirm",
} as const;

export const DEFAULT_PUBLIC_LIMIT = { max: 5, per: "1h" } as const;

export interface PublicPolicy {
  intake: "ignore" | "triage";
  label: { name: string; color: string; description: string };
  limit: { max: number; per: string; perMs: number };
}

/** incidents.yml `public`, with its defaults (no section: reports are ignored, 5 answers per hour). */
export function publicPolicy(inc: IncidentsFile | undefined): PublicPolicy {
  const p = inc?.public;
  const limit = p?.limit ?? DEFAULT_PUBLIC_LIMIT;
  return {
    intake: p?.intake ?? "ignore",
    label: {
      name: p?.label?.name ?? DEFAULT_TRIAGE_LABEL.name,
      color: p?.label?.color ?? DEFAULT_TRIAGE_LABEL.color,
      description: p?.label?.description ?? DEFAULT_TRIAGE_LABEL.description,
    },
    limit: { max: limit.max, per: limit.per, perMs: parseDuration(limit.per) ?? 3_600_000 },
  };
}

/** Who opened an issue, as GitHub records it. */
export interface IssueAuthor {
  author: string;
  /** `author_association` of the issue; missing fails closed. */
  authorAssociation?: string | null;
  /** `user.type`: apps installed on the repository (`Bot`) write with the repository's trust. */
  authorType?: string | null;
}

/**
 * Whether the issue's author may make it an incident by opening it: someone with access to the
 * repository, or an app or workflow installed on it (bots cannot open issues on a repository
 * that has not installed them).
 */
export function authorMayOpen(issue: IssueAuthor): boolean {
  return issue.authorType === "Bot" || hasRepositoryAccess(issue.authorAssociation);
}

/** Whether an issue looks like an incident report: incident or severity label, triage label, or the form's severity. */
export function looksLikeReport(inc: IncidentsFile, issue: { labels: readonly string[]; body: string }): boolean {
  const triage = publicPolicy(inc).label.name.toLowerCase();
  if (issue.labels.some((l) => isIncidentLabel(inc, l) || l.toLowerCase() === triage)) return true;
  return parseIncidentForm(issue.body)?.severity !== undefined;
}

/** A recent issue, for the rate limit: when it was created, and whether it is a public report. */
export interface RecentIssue {
  createdAt: string;
  publicReport: boolean;
}

/**
 * Whether Charter may still answer one more public report now: at most `limit.max` public reports
 * created within the last `limit.per`, this one included. Derived from GitHub's own list of
 * recent issues, so it holds across restarts and processes.
 */
export function withinPublicLimit(policy: PublicPolicy, recent: readonly RecentIssue[], now: Date): boolean {
  const since = now.getTime() - policy.limit.perMs;
  const count = recent.filter((r) => r.publicReport && Date.parse(r.createdAt) >= since).length;
  return count <= policy.limit.max;
}

/** What Charter says on a public report (no mentions: it pages nobody). */
export function publicReportMessage(inc: IncidentsFile, policy: PublicPolicy, removed: readonly string[]): string {
  const labels = removed.length ? ` Charter removed ${removed.map((l) => `\`${l}\``).join(", ")}.` : "";
  const head = `**Not an incident yet.** This issue was opened by someone without access to this repository, so Charter has paged nobody and frozen nothing.${labels}`;
  if (policy.intake === "triage") {
    return `${head} It is labelled \`${policy.label.name}\` for triage: a role holder makes it an incident with \`/confirm [severity]\` (the escalation ladder then starts from the confirmation).`;
  }
  return `${head} \`governance/incidents.yml\` does not take incident reports from the public (\`public.intake\`). Someone with access can make it an incident with the \`${inc.label.name}\` label, or a role holder with \`/confirm [severity]\`.`;
}
