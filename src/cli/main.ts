import type { CliIO } from "./command.js";
import { UsageError } from "./command.js";
import { commands } from "./commands/index.js";
import { charterVersion } from "./version.js";

function help(io: CliIO): void {
  io.out("charter: your team's operating model, enforced on GitHub\n\nUsage: charter <command> [options]\n\nCommands:");
  const width = Math.max(...commands.map((c) => c.name.length));
  for (const c of commands) io.out(`  ${c.name.padEnd(width)}  ${c.summary}`);
  io.out("\nEvery command reads ./governance unless given --dir <dir>.");
  io.out("Run `charter <command> --help` (or `charter help <command>`) for its options; `charter --version` for the version.");
  io.out("Documentation: docs/cli.md (https://github.com/charter-app/charter/blob/main/docs/cli.md).");
}

const HELP_FLAGS = new Set(["--help", "-h"]);

export const processIO: CliIO = {
  out: (t) => process.stdout.write(t + "\n"),
  err: (t) => process.stderr.write(t + "\n"),
  env: process.env,
  cwd: process.cwd(),
};

/** Entry point of the `charter` command; returns the exit code. Never lets a stack trace reach the user. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    const target = args[0] && commands.find((c) => c.name === args[0]);
    if (target) io.out(target.usage);
    else help(io);
    return 0;
  }
  if (name === "--version" || name === "-v" || name === "version") {
    io.out(charterVersion());
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`charter: unknown command \`${name}\`. Commands: ${commands.map((c) => c.name).join(", ")}. Run \`charter --help\`.`);
    return 2;
  }
  // `--help` anywhere after the command: its usage, and nothing is run.
  if (args.some((a) => HELP_FLAGS.has(a))) {
    io.out(command.usage);
    return 0;
  }
  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`charter ${name}: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    io.err(`charter ${name}: ${(error as Error).message ?? String(error)}`);
    if (io.env.CHARTER_DEBUG) io.err((error as Error).stack ?? "");
    return 1;
  }
}
