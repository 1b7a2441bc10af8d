/**
 * Just enough of a Dockerfile reader for test/package/container.test.ts: the instructions of each
 * stage (continuations joined, comments dropped, the `# syntax=` directive kept aside), and the
 * build context's .dockerignore. It understands exactly the instructions Charter's Dockerfile uses
 * and throws on any other, so the test can never silently skip a step of the image.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export interface Instruction {
  keyword: string;
  /** The arguments as written (continuations joined with a space). */
  args: string;
  line: number;
}

export interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): { directives: string[]; stages: Stage[] } {
  const directives: string[] = [];
  const stages: Stage[] = [];
  const lines = text.split("\n");
  let pending: { text: string; line: number } | undefined;
  const flush = (entry: { text: string; line: number }) => {
    const m = /^([A-Za-z]+)\s+([\s\S]*)$/.exec(entry.text.trim());
    if (!m) throw new Error(`Dockerfile:${entry.line}: cannot read \`${entry.text}\``);
    const keyword = m[1]!.toUpperCase();
    const args = m[2]!.trim();
    if (keyword === "FROM") {
      const f = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!f) throw new Error(`Dockerfile:${entry.line}: FROM ${args}`);
      stages.push({ from: f[1]!, ...(f[2] ? { name: f[2] } : {}), instructions: [] });
      return;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile:${entry.line}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, args, line: entry.line });
  };
  lines.forEach((raw, i) => {
    const line = raw.replace(/\s+$/, "");
    if (pending === undefined) {
      if (/^#\s*syntax=/.test(line) && stages.length === 0) directives.push(line.replace(/^#\s*/, ""));
      if (line.trim() === "" || line.trim().startsWith("#")) return;
      pending = { text: "", line: i + 1 };
    } else if (line.trim().startsWith("#")) return; // a comment inside a continuation
    const continued = line.endsWith("\\");
    pending.text += ` ${continued ? line.slice(0, -1) : line}`;
    if (!continued) {
      flush(pending);
      pending = undefined;
    }
  });
  if (pending) flush(pending);
  return { directives, stages };
}

/** `KEY=VALUE KEY2=VALUE2` (ENV's only form used here). */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const token of args.split(/\s+/).filter(Boolean)) {
    const eq = token.indexOf("=");
    if (eq <= 0) throw new Error(`ENV ${args}: use KEY=VALUE`);
    env[token.slice(0, eq)] = token.slice(eq + 1).replace(/^"(.*)"$/, "$1");
  }
  return env;
}

/** `--flag=value …` at the start of an instruction's arguments, and the rest. */
export function splitFlags(args: string): { flags: Record<string, string>; rest: string } {
  const flags: Record<string, string> = {};
  let rest = args;
  for (;;) {
    const m = /^--([a-z-]+)=(\S+)\s+/.exec(rest);
    if (!m) return { flags, rest };
    flags[m[1]!] = m[2]!;
    rest = rest.slice(m[0].length);
  }
}

/** An exec-form (JSON array) command, e.g. CMD ["node", "dist/main.js"]. */
export function execForm(args: string): string[] {
  const parsed = JSON.parse(args) as unknown;
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`not an exec-form command: ${args}`);
  return parsed as string[];
}

/**
 * The .dockerignore as Docker applies it, for the patterns Charter uses: `*` (everything), then
 * `!name` / `!dir/` re-including a top-level file or directory. Returns whether a context path is sent.
 */
export function dockerignore(root: string): (path: string) => boolean {
  const patterns = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim()).filter((l) => l !== "" && !l.startsWith("#"));
  return (path: string) => {
    let included = true;
    for (const p of patterns) {
      const negate = p.startsWith("!");
      const pattern = (negate ? p.slice(1) : p).replace(/\/$/, "");
      if (pattern.includes("*") && pattern !== "*") throw new Error(`.dockerignore pattern not understood here: ${p}`);
      const matches = pattern === "*" || path === pattern || path.startsWith(`${pattern}/`);
      if (matches) included = negate;
    }
    return included;
  };
}
