/**
 * The sign-off check as Charter writes it in advisory mode (GitHub Actions with the workflow's
 * GITHUB_TOKEN). The check is then written by `github-actions[bot]`, which every workflow in the
 * repository can write as, so a green check there proves nothing: its title and summary say so
 * at a glance, with the way out (run Charter with its GitHub App's identity). The conclusion is
 * unchanged: the evaluation itself is the same.
 */
import type { CheckOutput } from "../core/signoff/check.js";

export const ADVISORY_TITLE_PREFIX = "Advisory only: ";

export const ADVISORY_NOTE =
  "> **Advisory only.** Charter ran in GitHub Actions with the workflow's `GITHUB_TOKEN`, so this check was written by `github-actions[bot]`, which every workflow in this repository can write as. It proves nothing and branch protection cannot require it safely: run Charter with its GitHub App's identity (docs/actions.md).";

/** GitHub's limits: 255 characters of title (check runs accept more, the UI shows less), 65535 of summary. */
const MAX_TITLE = 255;
const MAX_SUMMARY = 65_000;

export function advisoryCheck(output: CheckOutput): CheckOutput {
  const title = `${ADVISORY_TITLE_PREFIX}${output.title}`;
  const summary = `${ADVISORY_NOTE}\n\n${output.summary}`;
  return {
    conclusion: output.conclusion,
    title: title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title,
    summary: summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary,
  };
}
