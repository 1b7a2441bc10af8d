import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { GOVERNANCE_FILE_NAMES } from "../../src/core/model/files.js";
import type { Diagnostic } from "../../src/load/diagnostic.js";
import { loadGovernance, type LoadResult } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const D9_DIR = join(ROOT, "governance");

/** The texts of the project's own D9 governance files, by name relative to governance/. */
export function d9Texts(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of GOVERNANCE_FILE_NAMES) {
    const path = join(D9_DIR, name);
    if (existsSync(path)) files[name] = readFileSync(path, "utf8");
  }
  return files;
}

/** A textual change to one file: replace `from` (which must occur exactly once), or set / delete the whole file. */
export type Edit =
  | { file: string; from: string; to: string }
  | { file: string; set: string }
  | { file: string; delete: true };

export function applyEdits(base: Record<string, string>, edits: readonly Edit[]): Record<string, string> {
  const files = { ...base };
  for (const edit of edits) {
    if ("delete" in edit) {
      delete files[edit.file];
    } else if ("set" in edit) {
      files[edit.file] = edit.set;
    } else {
      const text = files[edit.file];
      if (text === undefined) throw new Error(`test setup: ${edit.file} does not exist`);
      const count = text.split(edit.from).length - 1;
      if (count !== 1) throw new Error(`test setup: ${JSON.stringify(edit.from)} occurs ${count} times in ${edit.file}, expected once`);
      files[edit.file] = text.replace(edit.from, () => edit.to);
    }
  }
  return files;
}

/** Where a piece of text is: the 1-based line and column of its `nth` occurrence (1 = first), plus `offset` characters. */
export interface Anchor {
  text: string;
  nth?: number;
  offset?: number;
}

export function positionOf(fileText: string, anchor: Anchor | string): { line: number; column: number } {
  const a = typeof anchor === "string" ? { text: anchor } : anchor;
  let index = -1;
  for (let n = 0; n < (a.nth ?? 1); n++) {
    index = fileText.indexOf(a.text, index + 1);
    if (index === -1) throw new Error(`test setup: anchor ${JSON.stringify(a.text)} (occurrence ${a.nth ?? 1}) not found`);
  }
  index += a.offset ?? 0;
  const before = fileText.slice(0, index);
  const line = before.split("\n").length;
  return { line, column: index - before.lastIndexOf("\n") };
}

export async function load(files: Record<string, string>): Promise<LoadResult> {
  return loadGovernance(memorySource(files, "governance"));
}

/** A diagnostic as a test expects it, located by an anchor in the (edited) file's text. */
export interface Expected {
  file: string;
  at: Anchor | string | { line: number; column: number };
  message: string;
  hint?: string;
}

export function resolveExpected(files: Record<string, string>, e: Expected): Diagnostic {
  const pos = typeof e.at === "object" && "line" in e.at ? e.at : positionOf(files[e.file] ?? "", e.at);
  return { file: `governance/${e.file}`, line: pos.line, column: pos.column, message: e.message, ...(e.hint !== undefined ? { hint: e.hint } : {}) };
}
