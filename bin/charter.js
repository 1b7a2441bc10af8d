#!/usr/bin/env node
// The `charter` command. An installed package ships dist/ and no sources: it runs the built CLI
// (dist/cli/main.js) and needs no development dependency. In a checkout (src/ is there) it runs the
// TypeScript sources through tsx, a development dependency, so a stale dist/ never answers for the
// code you are editing; CHARTER_FROM_DIST=1 runs the build instead.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

// A reader that stops early (`charter oncall --ical | head -1`) closes the pipe: that ends the
// command quietly, as for any Unix tool, instead of Node's unhandled-error stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw error;
  });
}

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const built = join(root, "dist", "cli", "main.js");
const source = join(root, "src", "cli", "main.ts");
const fromSource = existsSync(source) && !(process.env.CHARTER_FROM_DIST && existsSync(built));

let entry = built;
if (fromSource) {
  try {
    const { register } = await import("tsx/esm/api");
    register();
    entry = source;
  } catch {
    process.stderr.write("charter: this checkout has no tsx to run its sources: run `npm ci` (development dependencies), or `npm run build` and set CHARTER_FROM_DIST=1\n");
    process.exit(1);
  }
} else if (!existsSync(built)) {
  process.stderr.write(`charter: ${built} is missing: this copy of Charter was packed without its build. Reinstall it from a release (its prepack step builds dist/).\n`);
  process.exit(1);
}
const { main } = await import(pathToFileURL(entry).href);
process.exitCode = await main(process.argv.slice(2));
