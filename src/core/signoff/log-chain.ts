/**
 * The activation log's hash chain in a pull request (src/core/log/chain.ts): a pull request whose
 * `governance/state/log.yml` breaks the chain (an entry edited, reordered or removed, or appended
 * without `seq` and `prev`) cannot pass, whoever signs. When the default branch's log is already
 * broken at the same entry, the pull request did not break it: the check says so and lets the
 * other gates decide (Charter's own resume or rollback pull requests must not be stuck behind a
 * repair).
 */
import { breakWords, sameBreak, verifyChain } from "../log/chain.js";
import type { StateFacts } from "./facts.js";
import { refusedGate, type SignoffGate } from "./gate.js";
import { LOG_FILE } from "./state-change.js";
import { codeSpan } from "./words.js";

const TITLE = "Activation log chain";
const SOURCE = { file: "state/log.yml" };

/** The gate the log's chain adds to a pull request that changes the log, if any. */
export function logChainGate(state: StateFacts): SignoffGate | undefined {
  const head = state.head.log;
  if (head?.kind !== "valid") return undefined;
  const proposed = verifyChain(head.value.entries).broken;
  if (!proposed) return undefined;
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
