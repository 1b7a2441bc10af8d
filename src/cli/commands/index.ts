import type { CliCommand } from "../command.js";
import { diffCommand } from "./diff.js";
import { drillCommand } from "./drill.js";
import { explainCommand } from "./explain.js";
import { initCommand } from "./init.js";
import { logCommand } from "./log.js";
import { oncallCommand } from "./oncall.js";
import { raciCommand } from "./raci.js";
import { reportCommand } from "./report.js";
import { sweepCommand } from "./sweep.js";
import { validateCommand } from "./validate.js";

/** Every `charter` subcommand. Each lives in its own file in this folder. */
export const commands: CliCommand[] = [
  diffCommand,
  drillCommand,
  explainCommand,
  initCommand,
  logCommand,
  oncallCommand,
  raciCommand,
  reportCommand,
  sweepCommand,
  validateCommand,
];
