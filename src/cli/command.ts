/** What a CLI subcommand sees: its arguments and where to write. Tests pass their own streams. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  env: Record<string, string | undefined>;
  cwd: string;
}

export interface CliCommand {
  name: string;
  /** One line for `charter help`. */
  summary: string;
  /** Full usage text for `charter help <name>` and for usage errors. */
  usage: string;
  /** Returns the process exit code. Must not throw for bad input: print a message, return 1 or 2. */
  run(args: string[], io: CliIO): Promise<number>;
}

/** Raised for bad command-line usage; main() prints the message and the usage, exit 2. */
export class UsageError extends Error {}
