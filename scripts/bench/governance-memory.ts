/**
 * `npm run bench:governance-memory [-- <repositories>]`: the JS heap a server keeps for the
 * governance of many repositories, each with its own D9-sized files (a distinct text per
 * repository, so nothing is shared), loaded as a handler loads them and remembered as an incident
 * event remembers them (the GovernanceCache's snapshot and the incidents' last valid model): with
 * the default bound (CHARTER_GOVERNANCE_CACHE_REPOS) and without one. Run with --expose-gc (the npm script does).
 */
import { GovernanceCache } from "../../src/github/governance.js";
import { incidentCaches } from "../../src/github/incidents/cache.js";
import { incidentGovernance } from "../../src/github/incidents/list.js";
import { loadGovernance } from "../../src/load/load.js";
import { memorySource } from "../../src/load/source.js";
import { d9Files } from "../../test/support/governance-mock.js";

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const repositories = Number(process.argv[2] ?? 2000);
const files = d9Files();

async function keptHeap(cache: GovernanceCache): Promise<{ mib: number; kept: number }> {
  gc!();
  const before = process.memoryUsage().heapUsed;
  for (let i = 0; i < repositories; i++) {
    const own = Object.fromEntries(Object.entries(files).map(([path, text]) => [path, `${text}\n# repository ${i}\n`]));
    const result = await loadGovernance(memorySource(own));
    if (!result.ok) throw new Error("D9 must load");
    const snapshot = { sha: String(i).padStart(40, "0"), branch: "main", present: true, result, blobs: {} };
    cache.setRepo(`acme/r${i}`, { etag: `"${i}"`, snapshot });
    incidentGovernance(snapshot, incidentCaches(cache), { owner: "acme", repo: `r${i}` }); // an incident event remembers the last valid model too
  }
  gc!();
  gc!();
  const mib = (process.memoryUsage().heapUsed - before) / 1048576;
  // read after measuring: the cache is alive when the heap is measured
  let kept = 0;
  for (let i = 0; i < repositories; i++) if (cache.repo(`acme/r${i}`)) kept++;
  return { mib, kept };
}

const text = Object.values(files).reduce((n, t) => n + t.length, 0);
const unbounded = await keptHeap(new GovernanceCache({ snapshots: Number.MAX_SAFE_INTEGER }));
const bounded = await keptHeap(new GovernanceCache());
console.log(`${repositories} repositories, each with its own D9-sized governance (${(text / 1024).toFixed(0)} KB of text):`);
console.log(`- every snapshot kept: ${unbounded.kept} models, heap +${unbounded.mib.toFixed(0)} MiB (${((unbounded.mib * 1024) / repositories).toFixed(0)} KiB per repository)`);
console.log(`- default bound: ${bounded.kept} models, heap +${bounded.mib.toFixed(0)} MiB`);
