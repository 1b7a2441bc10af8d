/**
 * The activation log's hash chain in a pull request (src/core/log/chain.ts): a pull request whose
 * `governance/state/log.yml` breaks the chain (an entry edited, reordered or removed, or appended
 * without `seq` and `prev`) cannot pass, whoever signs. When the default branch's log is already
 * broken at the same entry, the pull request did not break it: the check says so and lets the
 * other gates decide (Charter's own resume or rollback pull requests must not be stuck behind a
 * repair).
 *
 * A proposed log can also hold together on its own and still rewrite the default branch's: the
 * last entry cut off (nothing follows it to notice), or an entry edited and every later link
 * recomputed. When the default branch's chain is intact, such a pull request is refused too: the
 * log's history changes on the default branch only by being appended to. (A log whose chain is
 * already broken there may be repaired by a pull request its owners sign.)
 */
import { breakWords, canonicalEntry, sameBreak, verifyChain } from "../log/chain.js";
import type { LogEntry } from "../model/state.js";
import type { StateFacts } from "./facts.js";
import { refusedGate, type SignoffGate } from "./gate.js";
import { LOG_FILE, removesLogLines } from "./state-change.js";
import { codeSpan } from "./words.js";

const TITLE = "Activation log chain";
const SOURCE = { file: "state/log.yml" };

/**
 * The gate the log's chain adds to a pull request that changes the log, if any. `patch`: the log's
 * diff against the merge base (absent when GitHub omits it).
 */
export function logChainGate(state: StateFacts, patch: string | undefined): SignoffGate | undefined {
  const head = state.head.log;
  if (head?.kind !== "valid") return undefined;
  const proposed = verifyChain(head.value.entries).broken;
  if (!proposed) {
    const rewrite = rewriteOfChain(state.base.log?.entries ?? [], head.value.entries, patch);
    return rewrite === undefined ? undefined : refusedGate("log:chain", TITLE, `${LOG_FILE} rewrites the default branch's log, whose chain holds: ${rewrite}. That log only ever grows by entries appended after its last one`, SOURCE, [`${LOG_FILE} changes`]);
  }
  const words = breakWords(proposed, (t) => codeSpan(t, 80));
  const base = state.base.log ? verifyChain(state.base.log.entries).broken : undefined;
  if (base && sameBreak(base, proposed)) {
    return {
      key: "log:chain",
      kind: "notice",
      title: TITLE,
      reasons: [`${LOG_FILE} changes`],
      signers: [],
      veto: "none",
      distinct: true,
      confirmations: [],
      form: [],
      freeze: false,
      source: SOURCE,
      notices: [`the log on the default branch is already broken, and this pull request does not change that: ${words}. Restore it from git history (\`charter log --verify\` shows where)`],
    };
  }
  return refusedGate(
    "log:chain",
    TITLE,
    `${LOG_FILE} breaks its hash chain: ${words}. Entries are only ever appended, each with \`seq\` and \`prev\` (\`charter log --verify\` prints the next ones); Charter's own writes and pull requests add them`,
    SOURCE,
    [`${LOG_FILE} changes`],
  );
}

/**
 * How `head` rewrites the intact chained log `base` of the default branch, in words, or undefined.
 * An entry of `base` missing from `head` is a removal when the diff removes lines (or there is no
 * diff); otherwise the branch is only behind the default branch.
 */
function rewriteOfChain(base: readonly LogEntry[], head: readonly LogEntry[], patch: string | undefined): string | undefined {
  if (!base.some((e) => e.prev !== undefined) || verifyChain(base).broken) return undefined;
  const proposed = new Map(head.map((e) => [e.id, e]));
  const name = (e: LogEntry, i: number) => `entry ${i + 1} (${codeSpan(e.id, 80)}, ${e.timestamp})`;
  const missing: string[] = [];
  for (let i = 0; i < base.length; i++) {
    const before = base[i]!;
    const after = proposed.get(before.id);
    if (!after) missing.push(name(before, i));
    else if (canonicalEntry(after) !== canonicalEntry(before) || after.prev !== before.prev) return `${name(before, i)} is edited (and the links after it recomputed)`;
  }
  if (missing.length === 0 || (patch !== undefined && !removesLogLines(patch))) return undefined;
  const listed = `${missing.slice(0, 3).join(", ")}${missing.length > 3 ? ` and ${missing.length - 3} more` : ""}`;
  return patch === undefined ? `${listed} of the default branch ${missing.length === 1 ? "is" : "are"} missing (if the branch is only behind, rebase it)` : `${listed} ${missing.length === 1 ? "is" : "are"} removed`;
}
