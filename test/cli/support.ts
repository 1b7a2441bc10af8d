import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface Captured extends CliIO {
  stdout: string[];
  stderr: string[];
}

export function capture(cwd: string, env: Record<string, string | undefined> = {}): Captured {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), env, cwd };
}

/** Runs `charter …` in-process in `cwd`: exit code, stdout and stderr as text. */
export async function charter(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = capture(cwd);
  const code = await main(argv, io);
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}
