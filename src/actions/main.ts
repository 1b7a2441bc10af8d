/**
 * `node dist/actions/main.js`: Charter as a workflow step (see .github/workflows/charter.yml and
 * docs/actions.md). Reads the event GitHub Actions hands the job and exits non-zero on failure,
 * so the run shows red with an annotation saying why.
 */
import { runAction } from "./run.js";

const result = await runAction(process.env);
console.log(`Charter: ${result.outcome}`);
process.exitCode = result.exitCode;
