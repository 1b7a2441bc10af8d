/**
 * `npm run demo` (after `npm run build`): `node dist/demo/run.js`.
 *
 * The demo needs dev-only tools that the shipped app never imports: the local GitHub emulator
 * (test/emulator, which validates against GitHub's OpenAPI description from a devDependency) and
 * the end-to-end stories (test/e2e/support). This launcher compiles them into dist/dev/ with
 * tsconfig.dev.json when they are missing or older than their sources, then runs the demo, which
 * starts the emulator and the real server (`node dist/main.js`) and plays the stories.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const devOut = join(root, "dist", "dev");
const stamp = join(devOut, ".build-stamp");
const entry = join(devOut, "e2e", "support", "demo.js");

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), st.mtimeMs);
}

function buildDevTools(): void {
  const sources = Math.max(...["test/emulator", "test/support/openapi", "test/e2e/support", "tsconfig.dev.json", "tsconfig.json"].map((p) => newest(join(root, p))));
  if (existsSync(entry) && existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  process.stdout.write("Compiling the demo's dev-only tools (emulator, stories) into dist/dev/ ...\n");
  // emit only: `npm run typecheck` (tsconfig.json) type-checks these files with everything else
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.dev.json", "--noCheck"], { cwd: root, stdio: "inherit" });
  writeFileSync(stamp, new Date().toISOString());
}

interface DemoModule {
  runDemo(options: { out: string }): Promise<number>;
}

try {
  buildDevTools();
} catch {
  process.stderr.write("Could not compile the demo's tools (see the errors above). `npm run demo` installs everything they need.\n");
  process.exit(1);
}
const { runDemo } = (await import(pathToFileURL(entry).href)) as DemoModule;
process.exitCode = await runDemo({ out: join(root, "demo-output") });
