/**
 * `npm run bench`'s "Octokit" rows: what Charter's production Octokit (write spacing on) adds to a
 * request, against the emulator with 0 ms and 50 ms added to every request: sequential reads
 * (a handler's chain) and writes issued together (spaced a second apart by design), with the
 * throttling plugin's own Bottleneck limiters (before) and the prompt ones (after,
 * src/github/octokit-throttle.ts), against throttling off. Alternated, median of the rounds.
 */
import type { ProbotOctokit } from "probot";
import { charterOctokit } from "../../src/github/octokit-options.js";
import type { GitHubEmulator } from "../../test/emulator/index.js";

export interface OctokitRow {
  latencyMs: number;
  variant: string;
  perReadMs: number;
  overheadMs: number;
}

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export async function octokitBench(gh: GitHubEmulator, rounds = 5): Promise<OctokitRow[]> {
  const repo = "acme/octokit-bench";
  gh.createRepo(repo, { ownerType: "Organization", files: { "README.md": "# bench\n" } });
  const variants = [
    { variant: "throttling off (test mode)", options: { writeSpacing: false } },
    { variant: "plugin's own limiters (before)", options: { writeSpacing: true, promptQueue: false } },
    { variant: "prompt limiters (Charter now)", options: { writeSpacing: true } },
  ];
  const rows: OctokitRow[] = [];
  for (const latencyMs of [0, 50]) {
    gh.faults = latencyMs ? ({ path }) => (path.includes("/octokit-bench") ? { delayMs: latencyMs } : undefined) : undefined;
    const samples = new Map<string, number[]>(variants.map((v) => [v.variant, []]));
    for (let r = 0; r < rounds; r++) {
      for (const v of variants) {
        const Octokit = charterOctokit(v.options);
        const o = new Octokit({ baseUrl: gh.apiUrl, auth: { token: "t" }, log: silent } as ConstructorParameters<typeof ProbotOctokit>[0]);
        const read = () => o.request("GET /repos/{owner}/{repo}/issues", { owner: "acme", repo: "octokit-bench", per_page: 1 });
        await read();
        const n = latencyMs ? 8 : 20;
        const t = performance.now();
        for (let i = 0; i < n; i++) await read();
        samples.get(v.variant)!.push((performance.now() - t) / n);
      }
    }
    const off = median(samples.get(variants[0]!.variant)!);
    for (const v of variants) {
      const m = median(samples.get(v.variant)!);
      rows.push({ latencyMs, variant: v.variant, perReadMs: m, overheadMs: m - off });
    }
  }
  gh.faults = undefined;
  return rows;
}
