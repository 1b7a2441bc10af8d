/**
 * Builders for REST API objects shaped exactly as GitHub's OpenAPI description says
 * (every required field present, right types). The emulator renders its state through these;
 * nock-based tests can use them for schema-valid fixtures:
 *
 *   nock("https://api.github.com").get("/repos/o/r/issues/1").reply(200, issue({ number: 1, title: "x" }))
 *
 * Each builder takes the interesting fields and fills the rest with consistent defaults.
 * URLs are built from `urls` (default: api.github.com / github.com).
 */
import { createHash } from "node:crypto";

export interface Urls {
  /** REST base, e.g. `https://api.github.com` or `http://127.0.0.1:PORT`. */
  api: string;
  /** Web base, e.g. `https://github.com`. */
  html: string;
}

export const GITHUB_URLS: Urls = { api: "https://api.github.com", html: "https://github.com" };

/** A stable positive id derived from a string (so fixtures agree across calls). */
export function stableId(text: string): number {
  return createHash("sha1").update(text).digest().readUInt32BE(0) % 2_000_000_000 || 1;
}

export function nodeId(kind: string, id: number): string {
  return Buffer.from(`0${kind.length}:${kind}${id}`).toString("base64");
}

export const EPOCH = "2024-01-01T00:00:00Z";

export function isBotLogin(login: string): boolean {
  return login.endsWith("[bot]");
}

type Obj = Record<string, unknown>;

// ---------------------------------------------------------------- users, apps, installations

export interface UserInput {
  login: string;
  id?: number;
  type?: "User" | "Bot" | "Organization";
  urls?: Urls;
}

export function user(input: UserInput | string): Obj {
  const u = typeof input === "string" ? { login: input } : input;
  const urls = u.urls ?? GITHUB_URLS;
  const id = u.id ?? stableId(`user:${u.login.toLowerCase()}`);
  const type = u.type ?? (isBotLogin(u.login) ? "Bot" : "User");
  const api = `${urls.api}/users/${encodeURIComponent(u.login)}`;
  return {
    login: u.login,
    id,
    node_id: nodeId(type, id),
    avatar_url: `${urls.html}/avatars/u/${id}?v=4`,
    gravatar_id: "",
    url: api,
    html_url: `${urls.html}/${encodeURIComponent(u.login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: "public",
    site_admin: false,
  };
}

export interface AppInput {
  id?: number;
  slug?: string;
  name?: string;
  owner?: string;
  urls?: Urls;
  events?: string[];
  permissions?: Record<string, string>;
}

export const DEFAULT_APP_PERMISSIONS: Record<string, string> = {
  checks: "write",
  contents: "write",
  issues: "write",
  members: "read",
  metadata: "read",
  pull_requests: "write",
};

export const DEFAULT_APP_EVENTS = ["check_run", "issue_comment", "issues", "membership", "pull_request", "pull_request_review", "push"];

/** GET /app (`integration`). */
export function app(input: AppInput = {}): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const id = input.id ?? 1;
  const slug = input.slug ?? "charter";
  return {
    id,
    slug,
    client_id: `Iv1.${slug}`,
    node_id: nodeId("Integration", id),
    owner: user({ login: input.owner ?? "charter-dev", type: "Organization", urls }),
    name: input.name ?? "Charter",
    description: "Operating model as code",
    external_url: `${urls.html}/apps/${slug}`,
    html_url: `${urls.html}/apps/${slug}`,
    created_at: EPOCH,
    updated_at: EPOCH,
    permissions: input.permissions ?? DEFAULT_APP_PERMISSIONS,
    events: input.events ?? DEFAULT_APP_EVENTS,
  };
}

export interface InstallationInput {
  id: number;
  account: string;
  accountType?: "User" | "Organization";
  appId?: number;
  appSlug?: string;
  urls?: Urls;
}

/** GET /repos/{owner}/{repo}/installation (`installation`). */
export function installation(input: InstallationInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const account = user({ login: input.account, type: input.accountType ?? "Organization", urls });
  return {
    id: input.id,
    account,
    repository_selection: "all",
    access_tokens_url: `${urls.api}/app/installations/${input.id}/access_tokens`,
    repositories_url: `${urls.api}/installation/repositories`,
    html_url: `${urls.html}/organizations/${input.account}/settings/installations/${input.id}`,
    app_id: input.appId ?? 1,
    app_slug: input.appSlug ?? "charter",
    target_id: account.id,
    target_type: account.type,
    permissions: DEFAULT_APP_PERMISSIONS,
    events: DEFAULT_APP_EVENTS,
    created_at: EPOCH,
    updated_at: EPOCH,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

// ---------------------------------------------------------------- repositories

export interface RepoInput {
  owner: string;
  name: string;
  id?: number;
  private?: boolean;
  default_branch?: string;
  ownerType?: "User" | "Organization";
  urls?: Urls;
  created_at?: string;
  pushed_at?: string;
}

/** `repository` (and, with `full: true`, `full-repository` for GET /repos/{owner}/{repo}). */
export function repository(input: RepoInput, options: { full?: boolean } = {}): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const fullName = `${input.owner}/${input.name}`;
  const id = input.id ?? stableId(`repo:${fullName.toLowerCase()}`);
  const api = `${urls.api}/repos/${fullName}`;
  const html = `${urls.html}/${fullName}`;
  const created = input.created_at ?? EPOCH;
  const repo: Obj = {
    id,
    node_id: nodeId("Repository", id),
    name: input.name,
    full_name: fullName,
    owner: user({ login: input.owner, type: input.ownerType ?? "Organization", urls }),
    private: input.private ?? false,
    html_url: html,
    description: null,
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://${new URL(urls.html).host}/${fullName}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@${new URL(urls.html).host}:${fullName}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: input.default_branch ?? "main",
    open_issues_count: 0,
    open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: false,
    has_wiki: false,
    has_pages: false,
    has_downloads: false,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: input.private ? "private" : "public",
    pushed_at: input.pushed_at ?? created,
    created_at: created,
    updated_at: input.pushed_at ?? created,
    allow_rebase_merge: true,
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_auto_merge: false,
    delete_branch_on_merge: false,
    allow_forking: true,
    web_commit_signoff_required: false,
    license: null,
  };
  if (options.full) {
    repo.network_count = 0;
    repo.subscribers_count = 0;
    repo.permissions = { admin: false, maintain: false, push: true, triage: true, pull: true };
  }
  return repo;
}

// ---------------------------------------------------------------- labels, issues, comments, reactions

export interface LabelInput {
  repo: string; // owner/name
  name: string;
  id?: number;
  color?: string;
  description?: string | null;
  urls?: Urls;
}

export function label(input: LabelInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const id = input.id ?? stableId(`label:${input.repo}:${input.name.toLowerCase()}`);
  return {
    id,
    node_id: nodeId("Label", id),
    url: `${urls.api}/repos/${input.repo}/labels/${encodeURIComponent(input.name)}`,
    name: input.name,
    description: input.description ?? null,
    color: input.color ?? "ededed",
    default: false,
  };
}

export interface IssueInput {
  repo: string; // owner/name
  number: number;
  title?: string;
  body?: string | null;
  id?: number;
  user?: string;
  state?: "open" | "closed";
  state_reason?: "completed" | "reopened" | "not_planned" | "duplicate" | null;
  labels?: Array<Omit<LabelInput, "repo" | "urls"> | string>;
  assignees?: string[];
  comments?: number;
  locked?: boolean;
  created_at?: string;
  updated_at?: string;
  closed_at?: string | null;
  closed_by?: string | null;
  /** set when the issue is a pull request */
  pull_request?: { merged_at: string | null };
  author_association?: string;
  urls?: Urls;
}

export function issue(input: IssueInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const id = input.id ?? stableId(`issue:${input.repo}#${input.number}`);
  const api = `${urls.api}/repos/${input.repo}/issues/${input.number}`;
  const created = input.created_at ?? EPOCH;
  const assignees = (input.assignees ?? []).map((login) => user({ login, urls }));
  const out: Obj = {
    id,
    node_id: nodeId("Issue", id),
    url: api,
    repository_url: `${urls.api}/repos/${input.repo}`,
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${urls.html}/${input.repo}/${input.pull_request ? "pull" : "issues"}/${input.number}`,
    number: input.number,
    state: input.state ?? "open",
    state_reason: input.state_reason ?? null,
    title: input.title ?? `Issue ${input.number}`,
    body: input.body ?? null,
    user: user({ login: input.user ?? "octocat", urls }),
    labels: (input.labels ?? []).map((l) => label(typeof l === "string" ? { repo: input.repo, name: l, urls } : { ...l, repo: input.repo, urls })),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: input.locked ?? false,
    active_lock_reason: null,
    comments: input.comments ?? 0,
    closed_at: input.closed_at ?? null,
    created_at: created,
    updated_at: input.updated_at ?? created,
    closed_by: input.closed_by ? user({ login: input.closed_by, urls }) : null,
    author_association: input.author_association ?? "MEMBER",
    reactions: reactionRollup(`${api}/reactions`),
    timeline_url: `${api}/timeline`,
  };
  if (input.pull_request) {
    out.pull_request = {
      url: `${urls.api}/repos/${input.repo}/pulls/${input.number}`,
      html_url: `${urls.html}/${input.repo}/pull/${input.number}`,
      diff_url: `${urls.html}/${input.repo}/pull/${input.number}.diff`,
      patch_url: `${urls.html}/${input.repo}/pull/${input.number}.patch`,
      merged_at: input.pull_request.merged_at,
    };
  }
  return out;
}

export function reactionRollup(url: string, counts: Partial<Record<string, number>> = {}): Obj {
  const keys = ["+1", "-1", "laugh", "confused", "heart", "hooray", "eyes", "rocket"];
  const out: Obj = { url, total_count: keys.reduce((n, k) => n + (counts[k] ?? 0), 0) };
  for (const k of keys) out[k] = counts[k] ?? 0;
  return out;
}

export interface CommentInput {
  repo: string;
  issue_number: number;
  id: number;
  body: string;
  user?: string;
  created_at?: string;
  updated_at?: string;
  author_association?: string;
  /**
   * The GitHub App that wrote the comment (GitHub sets it when an app's installation token wrote
   * it, and nothing else does). Default: for a `<slug>[bot]` author, that app ({@link botApp});
   * for a person, null.
   */
  performed_via_github_app?: Obj | null;
  urls?: Urls;
}

/**
 * The app behind a `<slug>[bot]` login: `charter[bot]` is the tests' Charter (app id 1, as
 * test/support/identity.ts), any other bot a different app with an id of its own.
 */
export function botApp(login: string, urls: Urls = GITHUB_URLS): Obj | null {
  if (!isBotLogin(login)) return null;
  const slug = login.slice(0, -"[bot]".length);
  return app({ slug, id: slug === "charter" ? 1 : stableId(`app:${slug}`), urls });
}

export function issueComment(input: CommentInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const api = `${urls.api}/repos/${input.repo}/issues/comments/${input.id}`;
  const created = input.created_at ?? EPOCH;
  const author = input.user ?? "octocat";
  return {
    id: input.id,
    node_id: nodeId("IssueComment", input.id),
    url: api,
    html_url: `${urls.html}/${input.repo}/issues/${input.issue_number}#issuecomment-${input.id}`,
    body: input.body,
    user: user({ login: author, urls }),
    created_at: created,
    updated_at: input.updated_at ?? created,
    issue_url: `${urls.api}/repos/${input.repo}/issues/${input.issue_number}`,
    author_association: input.author_association ?? "MEMBER",
    performed_via_github_app: input.performed_via_github_app !== undefined ? input.performed_via_github_app : botApp(author, urls),
    reactions: reactionRollup(`${api}/reactions`),
  };
}

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

export function reaction(input: { id: number; content: ReactionContent; user: string; created_at?: string; urls?: Urls }): Obj {
  return {
    id: input.id,
    node_id: nodeId("Reaction", input.id),
    user: user({ login: input.user, urls: input.urls ?? GITHUB_URLS }),
    content: input.content,
    created_at: input.created_at ?? EPOCH,
  };
}

// ---------------------------------------------------------------- git: commits, refs, branches, contents

export interface GitActor {
  name: string;
  email: string;
  date: string;
}

export interface CommitInput {
  repo: string;
  sha: string;
  tree_sha?: string;
  message?: string;
  parents?: string[];
  author?: GitActor;
  committer?: GitActor;
  /** GitHub login of the author, when known */
  login?: string | null;
  files?: Obj[];
  urls?: Urls;
}

function gitActor(a: GitActor | undefined): Obj {
  return a ? { ...a } : { name: "Octo Cat", email: "octocat@example.com", date: EPOCH };
}

/** `commit` (GET /repos/{owner}/{repo}/commits/{ref}). */
export function commit(input: CommitInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const api = `${urls.api}/repos/${input.repo}`;
  const treeSha = input.tree_sha ?? "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
  const who = input.login ? user({ login: input.login, urls }) : {};
  const out: Obj = {
    url: `${api}/commits/${input.sha}`,
    sha: input.sha,
    node_id: nodeId("Commit", stableId(input.sha)),
    html_url: `${urls.html}/${input.repo}/commit/${input.sha}`,
    comments_url: `${api}/commits/${input.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${input.sha}`,
      author: gitActor(input.author),
      committer: gitActor(input.committer ?? input.author),
      message: input.message ?? "commit",
      comment_count: 0,
      tree: { sha: treeSha, url: `${api}/git/trees/${treeSha}` },
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
    author: who,
    committer: who,
    parents: (input.parents ?? []).map((sha) => ({ sha, url: `${api}/commits/${sha}`, html_url: `${urls.html}/${input.repo}/commit/${sha}` })),
  };
  if (input.files) {
    const additions = input.files.reduce((n, f) => n + Number(f.additions ?? 0), 0);
    const deletions = input.files.reduce((n, f) => n + Number(f.deletions ?? 0), 0);
    out.stats = { additions, deletions, total: additions + deletions };
    out.files = input.files;
  }
  return out;
}

export function gitRef(input: { repo: string; ref: string; sha: string; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const api = `${urls.api}/repos/${input.repo}`;
  return {
    ref: input.ref,
    node_id: nodeId("Ref", stableId(`${input.repo}:${input.ref}`)),
    url: `${api}/git/${input.ref}`,
    object: { type: "commit", sha: input.sha, url: `${api}/git/commits/${input.sha}` },
  };
}

/** `branch-with-protection` (GET /repos/{owner}/{repo}/branches/{branch}). */
export function branch(input: { repo: string; name: string; commit: Obj; protected?: boolean; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const api = `${urls.api}/repos/${input.repo}/branches/${encodeURIComponent(input.name)}`;
  return {
    name: input.name,
    commit: input.commit,
    _links: { html: `${urls.html}/${input.repo}/tree/${input.name}`, self: api },
    protected: input.protected ?? false,
    protection: { enabled: input.protected ?? false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
    protection_url: `${api}/protection`,
  };
}

export function shortBranch(input: { repo: string; name: string; sha: string; protected?: boolean; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  return {
    name: input.name,
    commit: { sha: input.sha, url: `${urls.api}/repos/${input.repo}/commits/${input.sha}` },
    protected: input.protected ?? false,
  };
}

export interface ContentInput {
  repo: string;
  path: string;
  ref?: string;
  /** blob sha */
  sha: string;
  size: number;
  urls?: Urls;
}

function contentLinks(input: ContentInput, type: "file" | "dir"): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const ref = input.ref ?? "main";
  const self = `${urls.api}/repos/${input.repo}/contents/${input.path}?ref=${encodeURIComponent(ref)}`;
  const git = `${urls.api}/repos/${input.repo}/git/${type === "file" ? "blobs" : "trees"}/${input.sha}`;
  const html = `${urls.html}/${input.repo}/${type === "file" ? "blob" : "tree"}/${ref}/${input.path}`;
  return {
    name: input.path.split("/").pop() ?? input.path,
    path: input.path,
    sha: input.sha,
    size: input.size,
    url: self,
    html_url: html,
    git_url: git,
    download_url: type === "file" ? `${urls.html}/${input.repo}/raw/${ref}/${input.path}` : null,
    type,
    _links: { self, git, html },
  };
}

/** `content-file` (GET contents of a file). `content` is the raw text; it is base64-encoded here. */
export function contentFile(input: ContentInput & { content: string }): Obj {
  const base64 = Buffer.from(input.content, "utf8").toString("base64");
  // GitHub wraps base64 at 60 characters per line
  const wrapped = (base64.match(/.{1,60}/g) ?? [""]).join("\n") + "\n";
  return { ...contentLinks(input, "file"), content: wrapped, encoding: "base64" };
}

/** One item of a `content-directory` listing. */
export function contentEntry(input: ContentInput & { type: "file" | "dir" }): Obj {
  return contentLinks(input, input.type);
}

/** `file-commit` (PUT/DELETE contents). */
export function fileCommit(input: { content: Obj | null; commit: Obj; tree_sha: string; repo: string; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const c = input.commit as { sha: string; commit: { author: Obj; committer: Obj; message: string }; parents: Obj[]; html_url: string };
  return {
    content: input.content,
    commit: {
      sha: c.sha,
      node_id: nodeId("Commit", stableId(c.sha)),
      url: `${urls.api}/repos/${input.repo}/git/commits/${c.sha}`,
      html_url: c.html_url,
      author: c.commit.author,
      committer: c.commit.committer,
      message: c.commit.message,
      tree: { sha: input.tree_sha, url: `${urls.api}/repos/${input.repo}/git/trees/${input.tree_sha}` },
      parents: c.parents,
      verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
    },
  };
}

// ---------------------------------------------------------------- pull requests and reviews

export interface PullRequestInput {
  repo: RepoInput;
  number: number;
  id?: number;
  title?: string;
  body?: string | null;
  user?: string;
  state?: "open" | "closed";
  draft?: boolean;
  head: { ref: string; sha: string };
  base: { ref: string; sha: string };
  labels?: Array<Omit<LabelInput, "repo" | "urls"> | string>;
  assignees?: string[];
  requested_reviewers?: string[];
  merged?: boolean;
  merged_at?: string | null;
  merged_by?: string | null;
  merge_commit_sha?: string | null;
  mergeable?: boolean | null;
  created_at?: string;
  updated_at?: string;
  closed_at?: string | null;
  commits?: number;
  additions?: number;
  deletions?: number;
  changed_files?: number;
  comments?: number;
  author_association?: string;
  urls?: Urls;
}

/** `pull-request` (GET /repos/{owner}/{repo}/pulls/{pull_number}); `simple: true` gives `pull-request-simple`. */
export function pullRequest(input: PullRequestInput, options: { simple?: boolean } = {}): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const full = `${input.repo.owner}/${input.repo.name}`;
  const api = `${urls.api}/repos/${full}`;
  const id = input.id ?? stableId(`pull:${full}#${input.number}`);
  const created = input.created_at ?? EPOCH;
  const repoObj = repository({ ...input.repo, urls });
  const owner = repoObj.owner as Obj;
  const side = (s: { ref: string; sha: string }): Obj => ({ label: `${input.repo.owner}:${s.ref}`, ref: s.ref, sha: s.sha, user: owner, repo: repoObj });
  const assignees = (input.assignees ?? []).map((login) => user({ login, urls }));
  const html = `${urls.html}/${full}/pull/${input.number}`;
  const link = (href: string): Obj => ({ href });
  const out: Obj = {
    url: `${api}/pulls/${input.number}`,
    id,
    node_id: nodeId("PullRequest", id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: `${api}/issues/${input.number}`,
    commits_url: `${api}/pulls/${input.number}/commits`,
    review_comments_url: `${api}/pulls/${input.number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${input.number}/comments`,
    statuses_url: `${api}/statuses/${input.head.sha}`,
    number: input.number,
    state: input.state ?? "open",
    locked: false,
    title: input.title ?? `Pull request ${input.number}`,
    user: user({ login: input.user ?? "octocat", urls }),
    body: input.body ?? null,
    labels: (input.labels ?? []).map((l) => label(typeof l === "string" ? { repo: full, name: l, urls } : { ...l, repo: full, urls })),
    milestone: null,
    active_lock_reason: null,
    created_at: created,
    updated_at: input.updated_at ?? created,
    closed_at: input.closed_at ?? null,
    merged_at: input.merged_at ?? null,
    merge_commit_sha: input.merge_commit_sha ?? null,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: (input.requested_reviewers ?? []).map((login) => user({ login, urls })),
    requested_teams: [],
    head: side(input.head),
    base: side(input.base),
    _links: {
      self: link(`${api}/pulls/${input.number}`),
      html: link(html),
      issue: link(`${api}/issues/${input.number}`),
      comments: link(`${api}/issues/${input.number}/comments`),
      review_comments: link(`${api}/pulls/${input.number}/comments`),
      review_comment: link(`${api}/pulls/comments{/number}`),
      commits: link(`${api}/pulls/${input.number}/commits`),
      statuses: link(`${api}/statuses/${input.head.sha}`),
    },
    author_association: input.author_association ?? "MEMBER",
    auto_merge: null,
    draft: input.draft ?? false,
  };
  if (!options.simple) {
    Object.assign(out, {
      merged: input.merged ?? false,
      mergeable: input.mergeable === undefined ? true : input.mergeable,
      rebaseable: true,
      mergeable_state: input.merged ? "unknown" : "clean",
      merged_by: input.merged_by ? user({ login: input.merged_by, urls }) : null,
      comments: input.comments ?? 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: input.commits ?? 1,
      additions: input.additions ?? 0,
      deletions: input.deletions ?? 0,
      changed_files: input.changed_files ?? 0,
    });
  }
  return out;
}

export type ReviewState = "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED" | "PENDING";

export interface ReviewInput {
  repo: string;
  pull_number: number;
  id: number;
  user: string;
  state: ReviewState;
  commit_id: string;
  body?: string;
  submitted_at?: string;
  author_association?: string;
  urls?: Urls;
}

export function review(input: ReviewInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const html = `${urls.html}/${input.repo}/pull/${input.pull_number}#pullrequestreview-${input.id}`;
  const prUrl = `${urls.api}/repos/${input.repo}/pulls/${input.pull_number}`;
  return {
    id: input.id,
    node_id: nodeId("PullRequestReview", input.id),
    user: user({ login: input.user, urls }),
    body: input.body ?? "",
    state: input.state,
    html_url: html,
    pull_request_url: prUrl,
    _links: { html: { href: html }, pull_request: { href: prUrl } },
    submitted_at: input.submitted_at ?? EPOCH,
    commit_id: input.commit_id,
    author_association: input.author_association ?? "MEMBER",
  };
}

export function diffEntry(input: {
  repo: string;
  filename: string;
  status: "added" | "removed" | "modified" | "renamed";
  sha: string | null;
  ref: string;
  additions?: number;
  deletions?: number;
  patch?: string;
  previous_filename?: string;
  urls?: Urls;
}): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const additions = input.additions ?? 0;
  const deletions = input.deletions ?? 0;
  const out: Obj = {
    sha: input.sha,
    filename: input.filename,
    status: input.status,
    additions,
    deletions,
    changes: additions + deletions,
    blob_url: `${urls.html}/${input.repo}/blob/${input.ref}/${input.filename}`,
    raw_url: `${urls.html}/${input.repo}/raw/${input.ref}/${input.filename}`,
    contents_url: `${urls.api}/repos/${input.repo}/contents/${input.filename}?ref=${input.ref}`,
  };
  if (input.patch !== undefined) out.patch = input.patch;
  if (input.previous_filename !== undefined) out.previous_filename = input.previous_filename;
  return out;
}

// ---------------------------------------------------------------- checks

export interface CheckRunInput {
  id: number;
  name: string;
  head_sha: string;
  repo?: string;
  status?: "queued" | "in_progress" | "completed";
  conclusion?: "success" | "failure" | "neutral" | "cancelled" | "skipped" | "timed_out" | "action_required" | null;
  started_at?: string | null;
  completed_at?: string | null;
  external_id?: string | null;
  details_url?: string | null;
  output?: { title?: string | null; summary?: string | null; text?: string | null; annotations_count?: number };
  pull_requests?: Obj[];
  app?: AppInput;
  check_suite_id?: number;
  urls?: Urls;
}

export function checkRun(input: CheckRunInput): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const repo = input.repo ?? "o/r";
  const api = `${urls.api}/repos/${repo}/check-runs/${input.id}`;
  const status = input.status ?? (input.conclusion ? "completed" : "queued");
  return {
    id: input.id,
    node_id: nodeId("CheckRun", input.id),
    head_sha: input.head_sha,
    external_id: input.external_id ?? "",
    url: api,
    html_url: `${urls.html}/${repo}/runs/${input.id}`,
    details_url: input.details_url ?? `${urls.html}/apps/charter`,
    status,
    conclusion: input.conclusion ?? null,
    started_at: input.started_at === undefined ? EPOCH : input.started_at,
    completed_at: input.completed_at === undefined ? (status === "completed" ? EPOCH : null) : input.completed_at,
    output: {
      title: input.output?.title ?? null,
      summary: input.output?.summary ?? null,
      text: input.output?.text ?? null,
      annotations_count: input.output?.annotations_count ?? 0,
      annotations_url: `${api}/annotations`,
    },
    name: input.name,
    check_suite: { id: input.check_suite_id ?? stableId(`suite:${repo}:${input.head_sha}`) },
    app: app({ ...input.app, urls }),
    pull_requests: input.pull_requests ?? [],
  };
}

/** `pull-request-minimal`, as listed in a check run's `pull_requests`. */
export function pullRequestMinimal(input: { repo: RepoInput; number: number; id?: number; head: { ref: string; sha: string }; base: { ref: string; sha: string }; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const full = `${input.repo.owner}/${input.repo.name}`;
  const repoId = input.repo.id ?? stableId(`repo:${full.toLowerCase()}`);
  const r = { id: repoId, url: `${urls.api}/repos/${full}`, name: input.repo.name };
  return {
    id: input.id ?? stableId(`pull:${full}#${input.number}`),
    number: input.number,
    url: `${urls.api}/repos/${full}/pulls/${input.number}`,
    head: { ref: input.head.ref, sha: input.head.sha, repo: r },
    base: { ref: input.base.ref, sha: input.base.sha, repo: r },
  };
}

// ---------------------------------------------------------------- teams

export function team(input: { org: string; slug: string; name?: string; id?: number; urls?: Urls }): Obj {
  const urls = input.urls ?? GITHUB_URLS;
  const id = input.id ?? stableId(`team:${input.org}/${input.slug}`);
  return {
    id,
    node_id: nodeId("Team", id),
    url: `${urls.api}/organizations/${stableId(`org:${input.org}`)}/team/${id}`,
    html_url: `${urls.html}/orgs/${input.org}/teams/${input.slug}`,
    name: input.name ?? input.slug,
    slug: input.slug,
    description: null,
    privacy: "closed",
    notification_setting: "notifications_enabled",
    permission: "pull",
    members_url: `${urls.api}/organizations/${stableId(`org:${input.org}`)}/team/${id}/members{/member}`,
    repositories_url: `${urls.api}/organizations/${stableId(`org:${input.org}`)}/team/${id}/repos`,
    type: "organization",
    parent: null,
  };
}

// ---------------------------------------------------------------- errors

export function apiError(message: string, errors?: Obj[]): Obj {
  const out: Obj = { message, documentation_url: "https://docs.github.com/rest", status: undefined };
  delete out.status;
  if (errors) out.errors = errors;
  return out;
}
