import { stat } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { GOVERNANCE_DIR } from "../core/model/file-names.js";
import type { CliIO } from "./command.js";
import { UsageError } from "./command.js";

/**
 * How every command names the governance directory: `--dir <dir>` (validate, oncall, raci and log
 * also take it as their one positional argument), default `./governance` in the current directory.
 * A directory that holds no roles.yml but a `governance/` directory is taken to mean that one
 * (`charter validate examples/microservices`). Nothing else is ever looked at: no parent
 * directory, no sample shipped with Charter.
 */
export interface GovernanceDir {
  /** Absolute path of the directory that is read. */
  absolute: string;
  /** How it is named in messages: relative to the current directory when inside it. */
  label: string;
}

/** `--dir` or the positional argument (not both). */
export function dirArgument(command: string, values: Record<string, string>, positional: readonly string[]): string | undefined {
  if (positional.length > 1) throw new UsageError(`expected at most one directory, got ${positional.length} arguments: ${positional.join(" ")}`);
  const fromFlag = values.dir;
  const fromPosition = positional[0];
  if (fromFlag !== undefined && fromPosition !== undefined && fromFlag !== fromPosition) {
    throw new UsageError(`two directories given (\`${fromPosition}\` and --dir \`${fromFlag}\`): name one, e.g. \`charter ${command} --dir ${fromFlag}\``);
  }
  return fromFlag ?? fromPosition;
}

export function labelFor(cwd: string, absolute: string): string {
  const rel = relative(cwd, absolute);
  if (rel === "") return ".";
  if (rel.startsWith("..") || isAbsolute(rel)) return absolute;
  return rel.split(sep).join("/");
}

async function kind(path: string): Promise<"dir" | "file" | undefined> {
  try {
    return (await stat(path)).isDirectory() ? "dir" : "file";
  } catch {
    return undefined;
  }
}

/**
 * The governance directory a command reads, or undefined after printing why there is none
 * (the caller exits 1).
 */
export async function resolveGovernanceDir(given: string | undefined, io: CliIO, command: string): Promise<GovernanceDir | undefined> {
  const absolute = resolve(io.cwd, given ?? GOVERNANCE_DIR);
  const label = labelFor(io.cwd, absolute);
  const found = await kind(absolute);
  if (found === undefined) {
    if (given === undefined) {
      io.err(`charter ${command}: no governance directory here: ./${GOVERNANCE_DIR} does not exist (in ${io.cwd}). Name yours with --dir <dir>, or create one with \`charter init\` (docs/getting-started.md).`);
    } else {
      io.err(`charter ${command}: ${label}/ does not exist (looked for ${absolute}). Name the governance directory with --dir <dir>, e.g. \`charter ${command} --dir path/to/governance\`.`);
    }
    return undefined;
  }
  if (found === "file") {
    io.err(`charter ${command}: ${label} is a file, not a directory. Name the directory that holds roles.yml, e.g. \`charter ${command} --dir governance\`.`);
    return undefined;
  }
  // A repository (or example) root: its governance/ is meant.
  if ((await kind(join(absolute, "roles.yml"))) === undefined && (await kind(join(absolute, GOVERNANCE_DIR))) === "dir") {
    const inner = join(absolute, GOVERNANCE_DIR);
    return { absolute: inner, label: labelFor(io.cwd, inner) };
  }
  return { absolute, label };
}
