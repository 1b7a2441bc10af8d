/** Webhook payloads for the kill-switch tests: real example payloads with our repository, issue, comment and pull request. */
import { webhookEnvelope, webhookIssue } from "../emulator/payloads.js";
import * as o from "../emulator/objects.js";
import { APP_LOGIN, FULL, OWNER, REPO, type FakeGitHub, type PullRecord } from "./fake-github.js";

type Obj = Record<string, unknown>;

const repository = () => o.repository({ owner: OWNER, name: REPO });

let nextComment = 1000;

export interface CommentInput {
  body: string;
  user: string;
  /** The issue the comment is on (default 7, the incident). */
  issue?: number;
  id?: number;
  at?: string;
}

/** `issue_comment.created` by `user` on issue `issue`. Returns the payload and the comment's id. */
export function commentEvent(input: CommentInput): { payload: Obj; id: number; url: string } {
  const id = input.id ?? nextComment++;
  const number = input.issue ?? 7;
  const p = webhookEnvelope("issue_comment", "created", { repository: repository(), sender: o.user(input.user), installationId: 1 });
  p.issue = webhookIssue(o.issue({ repo: FULL, number, title: "INCIDENT: ingestion error rate", user: "olga-oncall", labels: ["incident"] }));
  p.comment = o.issueComment({ repo: FULL, issue_number: number, id, body: input.body, user: input.user, ...(input.at ? { created_at: input.at } : {}) });
  return { payload: p, id, url: (p.comment as { html_url: string }).html_url };
}

/** `pull_request.closed` for a pull request the app opened, merged or not. */
export function pullClosedEvent(fake: FakeGitHub, pr: PullRecord, options: { merged: boolean; mergedBy?: string; mergedAt?: string; sender?: string }): Obj {
  const p = webhookEnvelope("pull_request", "closed", { repository: repository(), sender: o.user(options.sender ?? options.mergedBy ?? "ana-owner"), installationId: 1 });
  p.number = pr.number;
  p.pull_request = fake.pullObject(pr, false, {
    state: "closed",
    merged: options.merged,
    merged_at: options.merged ? (options.mergedAt ?? "2025-06-02T12:30:00Z") : null,
    merged_by: options.merged ? (options.mergedBy ?? "ana-owner") : null,
    closed_at: options.mergedAt ?? "2025-06-02T12:30:00Z",
    user: APP_LOGIN,
  });
  return p;
}

function pullBase(event: string, action: string, sender: string): Obj {
  return webhookEnvelope(event, action, { repository: repository(), sender: o.user(sender), installationId: 1 });
}

/** `pull_request.opened` (GitHub sends it for pull requests the app opens, too) or `edited` with a new body. */
export function pullEvent(fake: FakeGitHub, pr: PullRecord, action: "opened" | "edited", sender = APP_LOGIN): Obj {
  const p = pullBase("pull_request", action, sender);
  p.number = pr.number;
  p.pull_request = fake.pullObject(pr);
  if (action === "edited") p.changes = { body: { from: "" } };
  else delete p.changes;
  return p;
}

/** `pull_request_review.submitted` for a review the fake holds. */
export function reviewEvent(fake: FakeGitHub, pr: PullRecord, review: { id: number; login: string; state: string; commitId: string }): Obj {
  const p = pullBase("pull_request_review", "submitted", review.login);
  const r = fake.reviewObject(pr.number, review as never);
  r.state = review.state.toLowerCase();
  p.review = r;
  p.pull_request = fake.pullObject(pr, true);
  delete p.changes;
  return p;
}

/** GitHub's `author_association` of the comment in an `issue_comment` payload: `NONE` is a stranger on a public repository. */
export function withAssociation(event: { payload: Obj }, association: string): void {
  (event.payload.comment as Obj).author_association = association;
}

export interface ClosedOptions {
  merged: boolean;
  mergedBy?: string;
  mergedAt?: string;
  sender?: string;
  /** Who opened it (default: Charter's bot, `charter[bot]`). */
  user?: string;
  /** The repository its head branch is in, when a fork (`owner/name`). */
  headRepo?: string;
}

/** `pull_request.closed` for any pull request: Charter's by default, another author's, or one from a fork. */
export function closedEvent(fake: FakeGitHub, pr: PullRecord, options: ClosedOptions): Obj {
  const p = pullClosedEvent(fake, pr, options);
  const pull = p.pull_request as Obj;
  if (options.user !== undefined) pull.user = o.user(options.user);
  if (options.headRepo) {
    // A fork: the head branch lives in another repository, owned by whoever forked.
    const [owner, name] = options.headRepo.split("/") as [string, string];
    const fork = o.repository({ owner, name });
    fork.fork = true;
    const head = pull.head as Obj;
    head.repo = fork;
    head.user = fork.owner;
    head.label = `${owner}:${String(head.ref)}`;
  }
  return p;
}
