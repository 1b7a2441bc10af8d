import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { ensureBuilt, ROOT } from "../e2e/support/build.js";

export const exec = promisify(execFile);
export { ROOT };
export const VERSION = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string }).version;

/**
 * The environment of a person's shell in a fresh directory: PATH and HOME (npm's cache and config
 * live under HOME), nothing inherited from the npm or vitest process running the tests (no
 * npm_config_*, no NODE_OPTIONS, no NODE_PATH that could reach this checkout).
 */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of ["PATH", "HOME", "TMPDIR", "LANG", "TZ", "SYSTEMROOT"]) if (process.env[key] !== undefined) env[key] = process.env[key]!;
  return { ...env, NO_UPDATE_NOTIFIER: "1", npm_config_update_notifier: "false", ...extra };
}

/** A new empty directory outside the checkout (so no node_modules above it can be Charter's). */
export function emptyDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  if (dir.startsWith(ROOT)) throw new Error(`${dir} is inside the checkout`);
  return dir;
}

/**
 * `npm pack` of the checkout, as `npm publish` would pack it, into `dest`: the build first (the
 * tests' shared build of dist/, the same `tsc -p tsconfig.build.json` that the package's prepack
 * script runs after emptying dist/), then `npm pack --ignore-scripts` so the pack cannot empty
 * dist/ under end-to-end tests running at the same time. Returns the tarball's path and files.
 */
export async function packCharter(dest: string): Promise<{ tarball: string; files: string[] }> {
  await ensureBuilt();
  const { stdout } = await exec("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], { cwd: ROOT, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024 });
  const [info] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
  return { tarball: join(dest, info!.filename), files: info!.files.map((f) => f.path).sort() };
}
