/**
 * Issue timeline events as GitHub's REST API returns them
 * (`GET /repos/{owner}/{repo}/issues/{issue_number}/timeline`), schema-valid against the OpenAPI
 * description: `review_dismissed` (who dismissed which review, the only record GitHub keeps of
 * it) and `reviewed`. Used by the emulator and by the nock-based test worlds.
 */
import { GITHUB_URLS, nodeId, stableId, user, type Urls } from "./objects.js";

type Obj = Record<string, unknown>;

export interface DismissalInput {
  repo: string;
  issue_number: number;
  review_id: number;
  /** The dismissed review's state before dismissal, as GitHub spells it in this event. */
  state: "changes_requested" | "approved" | "commented";
  actor: string;
  actorType?: "User" | "Bot";
  created_at: string;
  message?: string | null;
  commit_id?: string;
  /** The app that performed it, when an app did. */
  via_app?: Obj | null;
  urls?: Urls;
}

/** A `review_dismissed` timeline event. */
export function reviewDismissedEvent(input: DismissalInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const id = stableId(`review_dismissed:${input.repo}#${input.issue_number}:${input.review_id}`);
  return {
    id,
    node_id: nodeId("ReviewDismissedEvent", id),
    url: `${urls.api}/repos/${input.repo}/issues/events/${id}`,
    actor: user({ login: input.actor, ...(input.actorType ? { type: input.actorType } : {}), urls }),
    event: "review_dismissed",
    commit_id: null,
    commit_url: null,
    created_at: input.created_at,
    performed_via_github_app: input.via_app ?? null,
    dismissed_review: {
      state: input.state,
      review_id: input.review_id,
      dismissal_message: input.message ?? null,
      ...(input.commit_id ? { dismissal_commit_id: input.commit_id } : {}),
    },
  };
}

export interface ReviewedInput {
  repo: string;
  pull_number: number;
  id: number;
  user: string;
  state: string;
  body: string;
  commit_id: string;
  submitted_at: string;
  author_association?: string;
  urls?: Urls;
}

/** A `reviewed` timeline event (a submitted review). */
export function reviewedEvent(input: ReviewedInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const html = `${urls.html}/${input.repo}/pull/${input.pull_number}#pullrequestreview-${input.id}`;
  const prUrl = `${urls.api}/repos/${input.repo}/pulls/${input.pull_number}`;
  return {
    event: "reviewed",
    id: input.id,
    node_id: nodeId("PullRequestReview", input.id),
    user: user({ login: input.user, urls }),
    body: input.body,
    state: input.state.toLowerCase(),
    html_url: html,
    pull_request_url: prUrl,
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    submitted_at: input.submitted_at,
    commit_id: input.commit_id,
    author_association: input.author_association ?? "MEMBER",
  };
}
