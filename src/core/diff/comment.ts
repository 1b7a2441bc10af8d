/**
 * The impact preview's pull request comment: one per pull request, created once and then edited.
 * Charter finds it again by a sealed marker, and only in comments Charter authored: the seal is
 * bound to the repository, the pull request and the kind (`impact`), so a marker a user copies
 * into their own comment, or into another pull request, is not Charter's comment and is never
 * edited or trusted.
 *
 *     <!-- charter:impact {"v":1} seal=… -->
 *
 * The body says nothing that changes with every push (no commit sha), so an unchanged preview is
 * an unchanged body and costs no write.
 */
import { GITHUB_BODY_CHARACTERS } from "../text/limits.js";
import { capText } from "../text/untrusted.js";
import { checkSeal, seal, type SealKeys } from "../trust/seal.js";
import type { Governance } from "../model/governance.js";
import type { ImpactReport } from "./index.js";
import { renderImpact } from "./render.js";

const MARK = "<!-- charter:impact ";
const PAYLOAD = JSON.stringify({ v: 1 });
/** GitHub's longest comment in UTF-16 units: a marker further in is not Charter's. */
const MAX_BODY = 2 * GITHUB_BODY_CHARACTERS;
/** Room left for the heading, the footer and the marker. */
const MAX_WORDS = GITHUB_BODY_CHARACTERS - 2_000;

/** Where an impact marker lives: the repository and the pull request. */
export function impactScope(repoFullName: string, number: number): string {
  return `impact:${repoFullName.toLowerCase()}#${number}`;
}

export function encodeImpactMarker(keys: SealKeys, scope: string): string {
  return `${MARK}${PAYLOAD} seal=${seal(keys, scope, PAYLOAD)} -->`;
}

/** Whether `body` carries an impact marker sealed for `scope`. Linear; reads at most GitHub's longest comment. */
export function hasImpactMarker(body: string | null | undefined, keys: SealKeys, scope: string): boolean {
  const text = (body ?? "").slice(0, MAX_BODY);
  const start = text.indexOf(MARK);
  if (start < 0) return false;
  const end = text.indexOf(" -->", start);
  if (end < 0) return false;
  const inner = text.slice(start + MARK.length, end);
  const cut = inner.lastIndexOf(" seal=");
  if (cut < 0) return false;
  const payload = inner.slice(0, cut);
  return payload === PAYLOAD && checkSeal(keys, scope, payload, inner.slice(cut + " seal=".length)) !== "invalid";
}

export interface ImpactCommentInput {
  report: ImpactReport;
  base: Governance;
  head?: Governance;
  /** The default branch, whose governance is compared against. */
  defaultBranch: string;
  keys: SealKeys;
  scope: string;
  /** GitHub listed only the first 3,000 changed files: a governance file past them is not seen. */
  truncated?: boolean;
}

const FOOTER = "<sub>Charter edits this comment on every push. The same words offline: `charter diff <base-dir> <head-dir>` (docs/impact-preview.md).</sub>";

/** The comment once a pull request that changed governance/ no longer does (its changes were reverted). */
export function noLongerComment(keys: SealKeys, scope: string): string {
  return ["## Charter impact preview", "", "This pull request no longer changes governance/: merging it would change nothing in how the team works.", "", FOOTER, encodeImpactMarker(keys, scope)].join("\n");
}

/** The whole comment: heading, the preview in words, how to see it offline, the sealed marker. */
export function impactComment(input: ImpactCommentInput): string {
  const words = renderImpact(input.report, { base: input.base, ...(input.head ? { head: input.head } : {}), style: "markdown" });
  const branch = capText(input.defaultBranch, 100).replace(/`/g, "'");
  return [
    "## Charter impact preview",
    "",
    `What merging this pull request would change in how the team works: governance/ on \`${branch}\` against this pull request's files. Nothing here is in force until it is merged and signed off.`,
    "",
    ...(input.truncated ? ["**⚠️ This pull request changes more files than GitHub lists (3,000):** a governance file past them is not seen here, so this preview may be incomplete.", ""] : []),
    capText(words, MAX_WORDS),
    "",
    FOOTER,
    encodeImpactMarker(input.keys, input.scope),
  ].join("\n");
}
