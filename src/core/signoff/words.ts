/**
 * Phrases shared by the check run and `/explain`: what blocks a gate, who holds a signer, links
 * to the governance files Charter evaluated.
 *
 * Every text a user could have written (logins, titles, reasons, file names, declared types,
 * review text) goes through the one neutraliser (src/core/text/untrusted.ts) before it is
 * written: Charter's check and comments mention nobody and no echoed text can hide what follows.
 */
import { inlineUserText } from "../text/untrusted.js";
import type { ConfirmationResult, GateResult, SignerResult, SignoffTree, UnreadableTeam, VetoResult } from "./evaluate.js";
import type { FreezeBlocker } from "./freeze.js";
import { canSign, type SignerHolders } from "./holders.js";

/** Where the governance that was evaluated lives: the default branch at a commit. */
export interface GovernanceRef {
  /** e.g. https://github.com/acme/ingestion (the repository's html_url). */
  repoUrl: string;
  branch: string;
  /** Commit of the default branch the governance was read from. */
  sha: string;
}

/** A person, as `@login` that links nowhere and notifies nobody. */
export const at = (login: string) => inlineUserText(`@${login}`, 120);

/** User text on one line (a title, a reason, a kill-switch scope). */
export const userText = (text: string, max = 200) => inlineUserText(text, max);

/** User text in a code span (a file name, a declared type), whatever backticks it holds. */
export function codeSpan(text: string, max = 200): string {
  const safe = inlineUserText(text, max);
  let longest = 0;
  let run = 0;
  for (const ch of safe) {
    run = ch === "`" ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = "`".repeat(longest + 1);
  const pad = safe.startsWith("`") || safe.endsWith("`") ? " " : "";
  return `${fence}${pad}${safe}${pad}${fence}`;
}
export const shortSha = (sha: string | null | undefined) => (sha ?? "unknown").slice(0, 7);

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

/** Link to a governance file on the default branch at the evaluated commit. */
export function governanceLink(ref: GovernanceRef, file: string, anchor = ""): string {
  return `${ref.repoUrl}/blob/${ref.sha}/governance/${file}${anchor}`;
}

/** The rule a gate comes from, as Markdown: [authority.yml](…) `phases.gates[3]`. */
export function sourceText(ref: GovernanceRef, gate: GateResult["gate"]): string {
  const { file, where } = gate.source;
  const line = /^line (\d+)$/.exec(where ?? "");
  const link = `[${file}](${governanceLink(ref, file, line ? `#L${line[1]}` : "")})`;
  return where ? `${link} \`${where}\`` : link;
}

export function holdersText(h: SignerHolders, max = 8): string {
  if (h.anyone) return "anyone with access to the repository but the author";
  const people = [...h.holders.map(at), ...h.backups.map((b) => `${at(b)} (backup)`)];
  const shown = people.length > max ? [...people.slice(0, max), `${people.length - max} more`] : people;
  const teams = h.unresolvedTeams.map((t) => `${at(t)} (members cannot be read)`);
  const all = [...shown, ...teams];
  return all.length > 0 ? all.join(", ") : "nobody holds it";
}

/** A link Charter may write: an https address without spaces, brackets or quotes; anything else is not linked. */
export function safeLink(url: string | undefined): string | undefined {
  if (url === undefined || url.length > 500 || !url.startsWith("https://")) return undefined;
  for (const ch of url) if (ch <= " " || ch === "(" || ch === ")" || ch === "<" || ch === ">" || ch === '"' || ch === "'" || ch === "`" || ch === "\\") return undefined;
  return url;
}

export function blockerText(b: FreezeBlocker): string {
  if (b.kind === "incident") {
    const url = safeLink(b.url);
    return `incident ${url ? `[#${b.number}](${url})` : `#${b.number}`} ${userText(b.title, 120)} (severity ${userText(b.severity, 40)}) is open`;
  }
  const details = [b.since ? `since ${userText(b.since, 40)}` : "", b.by ? `by ${at(b.by)}` : "", b.reason ? `reason: ${userText(b.reason, 200)}` : ""].filter(Boolean).join(", ");
  const url = safeLink(b.link);
  const link = url ? ` ([activation](${url}))` : "";
  return `kill-switch ${codeSpan(b.scope, 80)} is active${details ? ` (${details})` : ""}${link}`;
}

/** Short blocker for a title line: `incident #12 (P1)`, `kill-switch global`. */
export function blockerShort(b: FreezeBlocker): string {
  return b.kind === "incident" ? `incident #${b.number} (${userText(b.severity, 40)})` : `active kill-switch ${userText(b.scope, 80)}`;
}

/** The roles a veto is made as, for people: `Product Manager`, `possibly SRE Lead`. */
export function vetoAs(v: VetoResult): string {
  return [...v.as, ...v.possibly.map((p) => `possibly ${p.label}`)].join(", ");
}

export function vetoWords(tree: SignoffTree): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of tree.gates) {
    for (const v of r.vetoes) {
      const key = v.login.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`${at(v.login)} (${vetoAs(v)})`);
    }
  }
  return out;
}

export function missingSigners(tree: SignoffTree): SignerResult[] {
  return tree.gates.flatMap((r) => r.signers.filter((s) => s.status === "missing"));
}

/** `@acme/sre`, for a team (a team mention notifies every member: neutralised). */
export const teamName = (team: string) => at(team);

/** One line saying what is missing, e.g. "Waiting for SRE Lead; vetoed by @pat-pm (Product Manager)". */
export function missingTitle(tree: SignoffTree): string {
  const parts: string[] = [];
  for (const r of tree.gates) if (r.gate.refusal !== undefined) parts.push(`${r.gate.title} refused: ${r.gate.refusal}`);
  const waiting = [...new Set(missingSigners(tree).map((s) => s.label))];
  if (waiting.length > 0) parts.push(`Waiting for ${andList(waiting)}`);
  const expired = [...new Set(missingSigners(tree).flatMap((s) => s.expired.map((e) => at(e.login))))];
  if (expired.length > 0) parts.push(`approval${expired.length === 1 ? "" : "s"} by ${andList(expired)} expired`);
  const vetoes = vetoWords(tree);
  if (vetoes.length > 0) parts.push(`vetoed by ${andList(vetoes)}`);
  // a gate still waiting for a signer waits for its confirmation too: the title counts the others
  const missing = tree.gates.filter((r) => r.signers.every((s) => s.status === "signed")).flatMap((r) => r.confirmations.filter((c) => !c.confirmed));
  if (missing.length > 0) parts.push(`${missing.length} confirmation${missing.length === 1 ? "" : "s"} not given`);
  const form = [...new Set(tree.gates.flatMap((r) => r.missingForm))];
  if (form.length > 0) parts.push(`rollback form incomplete (${form.join(", ")})`);
  const freeze = tree.gates.flatMap((r) => r.freeze);
  if (freeze.length > 0) parts.push(`frozen by ${andList([...new Set(freeze.map(blockerShort))])}`);
  if (tree.unreadableTeams.length > 0) parts.push(`members of ${andList(tree.unreadableTeams.map((t) => teamName(t.team)))} cannot be read`);
  const line = parts.join("; ");
  const first = line.charAt(0).toUpperCase() + line.slice(1);
  return first.length > 240 ? `${first.slice(0, 237)}…` : first;
}

/** Why a veto stands, and how it is lifted: one sentence. */
export function vetoSentence(v: VetoResult, gateTitle: string): string {
  const older = v.onOlderCommit ? ` on an older commit (\`${shortSha(v.commitId)}\`), which still stands` : "";
  const roles = orList([...new Set([...v.as, ...v.possibly.map((p) => p.label)])]);
  const possibly = v.possibly.length > 0 ? ` and may be a member of ${andList([...new Set(v.possibly.flatMap((p) => p.teams))].map(teamName))} (${andList(v.possibly.map((p) => p.label))}), whose members Charter cannot read: counted as a veto (fail closed)` : "";
  if (v.dismissed) {
    const d = v.dismissed;
    const holdsRole = d.by !== undefined && v.liftedBy.some((r) => canSign(r.holders, d.by!));
    let who: string;
    if (d.by === undefined) who = "was dismissed, but the pull request's timeline does not say by whom";
    else if (d.byBot) who = `was dismissed by ${at(d.by)}, a bot, which cannot lift a veto`;
    else if (d.byAuthor && holdsRole) who = `was dismissed by ${at(d.by)}, the author of this pull request, who cannot lift a veto on their own pull request`;
    else who = `was dismissed by ${at(d.by)}, who does not hold ${roles}`;
    return `${at(v.login)}'s change request (${vetoAs(v)})${older} ${who}: the veto stands and blocks ${gateTitle} until ${at(v.login)} approves (only ${at(v.login)} or another holder of ${roles} can lift it by dismissing it)`;
  }
  return `${at(v.login)} (${vetoAs(v)}) requested changes${older}${possibly}: blocks ${gateTitle}`;
}

/** Who may give a confirmation, for people. */
export function confirmersText(c: ConfirmationResult): string {
  return c.by.map((b) => `${b.label} (${holdersText(b.holders, 6)})`).join(" or ");
}

/** What GitHub's answer about a team means, and what fixes it. */
export function unreadableTeamSentence(t: UnreadableTeam): string {
  const name = teamName(t.team);
  if (t.status === 403) {
    return `${name}: GitHub answered 403, Charter may not read the organization's members. Give the Charter app the organization permission **Members: read** (the app's settings → Permissions → Organization permissions → Members) and approve it for the installation; in GitHub Actions use an app installation token (GITHUB_TOKEN cannot read organization members)`;
  }
  return `${name}: GitHub answered ${t.status}: the team does not exist, or it is secret and Charter cannot see it. Check its name in governance/roles.yml or OWNERS, and give the Charter app the organization permission **Members: read**`;
}

export function statusWord(s: SignerResult): string {
  if (s.status === "signed") return "✅ signed";
  if (s.status === "vetoed") return "⛔ vetoed";
  return "⏳ missing";
}
