import { join } from "node:path";
import type { CliIO } from "../../src/cli/command.js";
import { main } from "../../src/cli/main.js";

export const ROOT = join(import.meta.dirname, "..", "..");

/** Run `charter …` in the repository root with captured output. */
export async function charter(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: ROOT };
  const code = await main(argv, io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** The lines of `text` that start with `prefix` (table rows, list items). */
export function linesStarting(text: string, prefix: string): string[] {
  return text.split("\n").filter((l) => l.startsWith(prefix));
}
