import type { CliCommand } from "../command.js";

/** Every `charter` subcommand. Each lives in its own file in this folder. */
export const commands: CliCommand[] = [];
