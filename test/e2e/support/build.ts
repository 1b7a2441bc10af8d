/**
 * Builds dist/ once for the end-to-end tests, the way `npm start` does (tsc -p tsconfig.build.json),
 * unless it is already newer than every source file. Test files run in parallel worker processes, so
 * the build is guarded by a lock directory (mkdir is atomic): one process builds, the others wait.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** The checkout's root: the nearest directory above this file (test/… or dist/dev/…) holding Charter's package.json. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string }).name === "charter") return dir;
    } catch {
      // no package.json here
    }
    if (dirname(dir) === dir) throw new Error(`cannot find Charter's package.json above ${from}`);
  }
}

export const ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const DIST_APP = join(ROOT, "dist", "app.js");
export const DIST_MAIN = join(ROOT, "dist", "main.js");
const STAMP = join(ROOT, "dist", ".e2e-build-stamp");
const LOCK = join(ROOT, "dist", ".e2e-build-lock");

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

function sourcesMtime(): number {
  return Math.max(newestMtime(join(ROOT, "src")), newestMtime(join(ROOT, "tsconfig.json")), newestMtime(join(ROOT, "tsconfig.build.json")), newestMtime(join(ROOT, "package.json")));
}

/** Built after the newest source: by us (the stamp) or by `npm run build` (the outputs' own times). */
function upToDate(): boolean {
  if (!existsSync(DIST_APP) || !existsSync(DIST_MAIN)) return false;
  const newest = sourcesMtime();
  if (existsSync(STAMP) && statSync(STAMP).mtimeMs >= newest) return true;
  return Math.min(statSync(DIST_APP).mtimeMs, statSync(DIST_MAIN).mtimeMs) >= newest;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When the last build finished (the stamp's content); its mtime is when that build started. */
function lastBuildFinished(): number {
  try {
    return Date.parse(readFileSync(STAMP, "utf8"));
  } catch {
    return 0;
  }
}

/**
 * Ensures dist/ is built from the current sources. A process that had to wait for another's build
 * takes that build as it is (one build per batch of test files, even while sources keep changing).
 * Set CHARTER_E2E_SKIP_BUILD=1 to use dist/ as it is.
 */
export async function ensureBuilt(timeoutMs = 280_000): Promise<void> {
  if (process.env.CHARTER_E2E_SKIP_BUILD === "1") {
    if (!existsSync(DIST_APP) || !existsSync(DIST_MAIN)) throw new Error("CHARTER_E2E_SKIP_BUILD=1 but dist/ has no app.js or main.js; run `npm run build`");
    return;
  }
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  const since = Date.now();
  const deadline = since + timeoutMs;
  let waited = false;
  for (;;) {
    if (upToDate()) return;
    if (waited && lastBuildFinished() >= since) return;
    try {
      mkdirSync(LOCK);
    } catch {
      waited = true;
      // a lock older than the timeout is a leftover of a killed run
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > timeoutMs) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for another process to build dist/ (lock ${LOCK})`);
      await sleep(250);
      continue;
    }
    try {
      if (upToDate() || (waited && lastBuildFinished() >= since)) return;
      const started = new Date();
      await promisify(execFile)(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`npm run build failed:\n${error.stdout ?? ""}${error.stderr ?? ""}${error.message}`);
      });
      writeFileSync(STAMP, new Date().toISOString());
      // mtime = start: a source edited during the build leaves dist/ stale for the next run
      utimesSync(STAMP, started, started);
      return;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}

/** beforeAll timeout for "build if needed, then start": a cold tsc build on a loaded machine can take a minute or more. */
export const BUILD_AND_START_TIMEOUT = 300_000;
