#!/usr/bin/env node
// The `charter` command. Runs the built CLI (dist/cli/main.js): always so in an installed package,
// which ships dist/ and no sources. In a checkout without a build (or with CHARTER_FROM_SOURCE=1)
// it runs the TypeScript sources through tsx, a development dependency that an installed package
// neither has nor needs.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "main.js");
const source = join(root, "src", "cli", "main.ts");
const fromSource = existsSync(source) && (process.env.CHARTER_FROM_SOURCE || !existsSync(built));

let entry = built;
if (fromSource) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    entry = source;
  } catch {
    process.stderr.write("charter: this checkout has no build and no tsx to run the sources: run `npm ci` (development dependencies) or `npm run build`\n");
    process.exit(1);
  }
} else if (!existsSync(built)) {
  process.stderr.write(`charter: ${built} is missing: this copy of Charter was packed without its build. Reinstall it from a release (its prepack step builds dist/).\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
