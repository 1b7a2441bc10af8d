/** Webhook payloads for the kill-switch tests: real example payloads with our repository, issue, comment and pull request. */
import { examplePayload } from "../emulator/payloads.js";
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
  /** GitHub's `author_association` of the comment (default `MEMBER`: access to the repository). */
  association?: string;
}

/** `issue_comment.created` by `user` on issue `issue`. Returns the payload and the comment's id. */
export function commentEvent(input: CommentInput): { payload: Obj; id: number; url: string } {
  const id = input.id ?? nextComment++;
  const number = input.issue ?? 7;
  const p = examplePayload("issue_comment", "created");
  p.action = "created";
  p.repository = repository();
  p.sender = o.user(input.user);
  p.installation = { id: 1, node_id: o.nodeId("Installation", 1) };
  delete p.organization;
  delete p.enterprise;
  p.issue = o.issue({ repo: FULL, number, title: "INCIDENT: ingestion error rate", user: "olga-oncall", labels: ["incident"] });
  p.comment = o.issueComment({ repo: FULL, issue_number: number, id, body: input.body, user: input.user, ...(input.at ? { created_at: input.at } : {}), ...(input.association ? { author_association: input.association } : {}) });
  return { payload: p, id, url: (p.comment as { html_url: string }).html_url };
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

/** `pull_request.closed` for a pull request (by default one the app opened), merged or not. */
export function pullClosedEvent(fake: FakeGitHub, pr: PullRecord, options: ClosedOptions): Obj {
  const p = examplePayload("pull_request", "closed");
  p.action = "closed";
  p.number = pr.number;
  p.repository = repository();
  p.sender = o.user(options.sender ?? options.mergedBy ?? "ana-owner");
  p.installation = { id: 1, node_id: o.nodeId("Installation", 1) };
  delete p.organization;
  delete p.enterprise;
  p.pull_request = fake.pullObject(pr, false, {
    state: "closed",
    merged: options.merged,
    merged_at: options.merged ? (options.mergedAt ?? "2025-06-02T12:30:00Z") : null,
    merged_by: options.merged ? (options.mergedBy ?? "ana-owner") : null,
    closed_at: options.mergedAt ?? "2025-06-02T12:30:00Z",
    user: options.user ?? APP_LOGIN,
  });
  if (options.headRepo) {
    // A fork: the head branch lives in another repository, owned by whoever forked.
    const [owner, name] = options.headRepo.split("/") as [string, string];
    const fork = o.repository({ owner, name });
    fork.fork = true;
    const head = (p.pull_request as { head: Obj }).head;
    head.repo = fork;
    head.user = fork.owner;
    head.label = `${owner}:${String(head.ref)}`;
  }
  return p;
}

function pullBase(event: string, action: string, sender: string): Obj {
  const p = examplePayload(event, action);
  p.action = action;
  p.repository = repository();
  p.sender = o.user(sender);
  p.installation = { id: 1, node_id: o.nodeId("Installation", 1) };
  delete p.organization;
  delete p.enterprise;
  return p;
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
