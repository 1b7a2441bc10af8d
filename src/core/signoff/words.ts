/**
 * Phrases shared by the check run and `/explain`: what blocks a gate, who holds a signer, links
 * to the governance files Charter evaluated.
 */
import type { GateResult, SignerResult, SignoffTree } from "./evaluate.js";
import type { FreezeBlocker } from "./freeze.js";
import type { SignerHolders } from "./holders.js";

/** Where the governance that was evaluated lives: the default branch at a commit. */
export interface GovernanceRef {
  /** e.g. https://github.com/acme/ingestion (the repository's html_url). */
  repoUrl: string;
  branch: string;
  /** Commit of the default branch the governance was read from. */
  sha: string;
}

export const at = (login: string) => `@${login}`;
export const shortSha = (sha: string | null | undefined) => (sha ?? "unknown").slice(0, 7);

/** `a`, `a and b`, `a, b and c`. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
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
  if (h.anyone) return "anyone but the author";
  const people = [...h.holders.map(at), ...h.backups.map((b) => `${at(b)} (backup)`)];
  const shown = people.length > max ? [...people.slice(0, max), `${people.length - max} more`] : people;
  const teams = h.unresolvedTeams.map((t) => `@${t} (members unknown)`);
  const all = [...shown, ...teams];
  return all.length > 0 ? all.join(", ") : "nobody holds it";
}

export function blockerText(b: FreezeBlocker): string {
  if (b.kind === "incident") return `incident [#${b.number} ${b.title}](${b.url}) (severity ${b.severity}) is open`;
  const details = [b.since ? `since ${b.since}` : "", b.by ? `by ${at(b.by)}` : "", b.reason ? `reason: ${b.reason}` : ""].filter(Boolean).join(", ");
  const link = b.link ? ` ([activation](${b.link}))` : "";
  return `kill-switch \`${b.scope}\` is active${details ? ` (${details})` : ""}${link}`;
}

/** Short blocker for a title line: `incident #12 (P1)`, `kill-switch global`. */
export function blockerShort(b: FreezeBlocker): string {
  return b.kind === "incident" ? `incident #${b.number} (${b.severity})` : `active kill-switch ${b.scope}`;
}

export function vetoWords(tree: SignoffTree): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of tree.gates) {
    for (const v of r.vetoes) {
      const key = v.login.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(`${at(v.login)} (${v.as.join(", ")})`);
    }
  }
  return out;
}

export function missingSigners(tree: SignoffTree): SignerResult[] {
  return tree.gates.flatMap((r) => r.signers.filter((s) => s.status === "missing"));
}

/** One line saying what is missing, e.g. "Waiting for SRE Lead; vetoed by @pat-pm (Product Manager)". */
export function missingTitle(tree: SignoffTree): string {
  const parts: string[] = [];
  for (const r of tree.gates) if (r.gate.refusal !== undefined) parts.push(`${r.gate.title} refused: ${r.gate.refusal}`);
  const waiting = [...new Set(missingSigners(tree).map((s) => s.label))];
  if (waiting.length > 0) parts.push(`Waiting for ${andList(waiting)}`);
  const vetoes = vetoWords(tree);
  if (vetoes.length > 0) parts.push(`vetoed by ${andList(vetoes)}`);
  const unticked = tree.gates.flatMap((r) => r.confirmations.filter((c) => !c.ticked));
  if (unticked.length > 0) parts.push(`${unticked.length} confirmation${unticked.length === 1 ? "" : "s"} unticked`);
  const form = [...new Set(tree.gates.flatMap((r) => r.missingForm))];
  if (form.length > 0) parts.push(`rollback form incomplete (${form.join(", ")})`);
  const freeze = tree.gates.flatMap((r) => r.freeze);
  if (freeze.length > 0) parts.push(`frozen by ${andList([...new Set(freeze.map(blockerShort))])}`);
  const line = parts.join("; ");
  const first = line.charAt(0).toUpperCase() + line.slice(1);
  return first.length > 240 ? `${first.slice(0, 237)}…` : first;
}

export function statusWord(s: SignerResult): string {
  if (s.status === "signed") return "✅ signed";
  if (s.status === "vetoed") return "⛔ vetoed";
  return "⏳ missing";
}
