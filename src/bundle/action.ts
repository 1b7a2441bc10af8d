/**
 * The entry point of the bundled JavaScript action (action.yml → dist-action/index.mjs, built by
 * `npm run build:action`): maps the action's inputs onto the environment Actions mode reads, then
 * runs Charter once for the workflow's event, exactly as `node dist/actions/main.js` does.
 */
import { runAction } from "../actions/run.js";
import { environmentFromInputs } from "./inputs.js";

const env = environmentFromInputs(process.env);
for (const [name, value] of Object.entries(env)) if (value !== undefined) process.env[name] = value;
const result = await runAction(process.env);
console.log(`Charter: ${result.outcome}`);
process.exitCode = result.exitCode;
