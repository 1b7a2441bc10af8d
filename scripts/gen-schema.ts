/**
 * Writes schema/<file>.schema.json for every governance YAML file, generated from its zod schema
 * (src/core/model, the one source of truth). Editors pick the schemas up through the
 * `# yaml-language-server: $schema=../schema/<file>.schema.json` line at the top of each file.
 *
 *   npm run schema          regenerate schema/
 *   npm run schema:check    exit 1 if schema/ differs from what would be generated (CI)
 *   --dir <path>            use another directory instead of schema/ (tests)
 */
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { YAML_FILES, type YamlFileName } from "../src/core/model/files.js";
import { jsonSchemaFor } from "../src/load/json-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/** The exact text each schema file must have: pretty-printed JSON and a trailing newline. */
export function generatedSchemas(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of Object.keys(YAML_FILES) as YamlFileName[]) {
    out.set(YAML_FILES[name].jsonSchema, JSON.stringify(jsonSchemaFor(name), null, 2) + "\n");
  }
  return out;
}

async function readOrUndefined(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

async function existingSchemaFiles(schemaDir: string): Promise<string[]> {
  try {
    return (await readdir(schemaDir)).filter((f) => f.endsWith(".schema.json"));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

async function run(argv: string[]): Promise<number> {
  let check = false;
  let schemaDir = join(root, "schema");
  let shown = "schema";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--check") check = true;
    else if (a === "--dir" && argv[i + 1] !== undefined) {
      shown = argv[++i]!;
      schemaDir = resolve(shown);
    } else {
      console.error(`gen-schema: unexpected argument ${a}. Usage: gen-schema [--check] [--dir <path>]`);
      return 2;
    }
  }
  const wanted = generatedSchemas();
  const stale = (await existingSchemaFiles(schemaDir)).filter((f) => !wanted.has(f)).sort();

  if (check) {
    const problems: string[] = [];
    for (const [file, text] of wanted) {
      const current = await readOrUndefined(join(schemaDir, file));
      if (current === undefined) problems.push(`${shown}/${file} is missing`);
      else if (current !== text) problems.push(`${shown}/${file} differs from the zod schema it is generated from`);
    }
    for (const file of stale) problems.push(`${shown}/${file} is not generated from any governance file`);
    if (problems.length > 0) {
      for (const p of problems) console.error(p);
      console.error(`\n${problems.length} schema file(s) out of date: run \`npm run schema\` and commit ${shown}/` + (stale.length ? ` (delete the files no governance file generates)` : ""));
      return 1;
    }
    console.log(`${shown}/ is up to date (${wanted.size} files)`);
    return 0;
  }

  await mkdir(schemaDir, { recursive: true });
  let written = 0;
  for (const [file, text] of wanted) {
    const path = join(schemaDir, file);
    if ((await readOrUndefined(path)) === text) continue;
    await writeFile(path, text);
    written++;
    console.log(`wrote ${shown}/${file}`);
  }
  for (const file of stale) console.warn(`${shown}/${file} is not generated from any governance file: delete it`);
  console.log(`${shown}/: ${written} file(s) written, ${wanted.size - written} unchanged`);
  return 0;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (error) {
  console.error(`gen-schema: ${(error as Error).message}`);
  process.exitCode = 1;
}
