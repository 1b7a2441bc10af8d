/**
 * `node dist/main.js`: Charter's server, started through Probot's own `run` exactly like
 * `probot run ./dist/app.js` (`npm start`), from the same environment variables. The one
 * difference, and the reason this file exists: in test/demo mode (NODE_ENV=test or CHARTER_DEMO=1)
 * Octokit's client-side throttling is off. On github.com that throttling spaces content-creating
 * requests one to three seconds apart, as GitHub asks integrators to; against the local emulator it
 * would only make the end-to-end tests and the demo minutes slower. In every environment the
 * Octokit carries Charter's bounded retry policy (src/github/octokit-options.ts) instead of
 * Probot's uncapped rate-limit retries.
 *
 * A configuration Charter must not run with (no real webhook secret, invalid seal keys: see
 * src/start-guard.ts) is refused by the app function before the server listens; anything else that
 * stops the start (e.g. Probot's "App ID is missing" in production) is said in one line, without a
 * stack trace, and the process exits non-zero.
 */
import { run, type ProbotOctokit } from "probot";
import app from "./app.js";
import { testControlsAllowed } from "./clock-control.js";
import { charterOctokit } from "./github/octokit-options.js";
import { refuseToStart } from "./start-guard.js";
import { charterMetrics } from "./engine/metrics.js";

try {
  // every request is counted for GET /metrics (requests by method and status, rate limit remaining)
  const Octokit = charterOctokit({ writeSpacing: !testControlsAllowed(process.env) }).plugin(charterMetrics().octokitPlugin() as never);
  await run(app, { Octokit: Octokit as typeof ProbotOctokit });
} catch (error) {
  refuseToStart([(error as Error).message ?? String(error)]);
}
