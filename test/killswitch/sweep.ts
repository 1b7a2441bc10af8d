/** Run the kill-switch sweep task once through the reconcile runner, against the app's clock and cache. */
import type { Logger } from "probot";
import { killSwitchApprovalTask } from "../../src/reconcile/killswitch.js";
import { sweepRepository } from "../../src/reconcile/runner.js";
import type { SweepReport } from "../../src/reconcile/task.js";
import { TestOctokit } from "../support/app-harness.js";
import { OWNER, REPO } from "./fake-github.js";
import type { World } from "./harness.js";
import { testIdentity } from "../support/identity.js";

export async function sweepOnce(w: World): Promise<SweepReport> {
  const gh = new TestOctokit({ auth: "test-token" });
  const quiet = { child: () => quiet, debug() {}, info() {}, warn() {}, error() {}, fatal() {}, trace() {} };
  const log = quiet as unknown as Logger;
  const result = await sweepRepository(gh, { owner: OWNER, repo: REPO }, { clock: w.app.clock, governance: w.app.cache, identity: testIdentity }, log, { defaultBranch: "main", tasks: [killSwitchApprovalTask] });
  if (result.errors.length > 0) throw new Error(`sweep failed: ${JSON.stringify(result.errors)}`);
  return result.reports[0]!;
}
