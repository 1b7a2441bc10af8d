/**
 * Charter's Octokit with its write spacing on (production): the throttling plugin's limits hold
 * (writes one a second, so GitHub's secondary rate limit is not provoked), and its queue no longer
 * idles on Bottleneck's zero-length timers (src/github/octokit-throttle.ts). Against a bare
 * loopback server that answers at once, so what is measured is Octokit's own queue.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { charterOctokit } from "../../src/github/octokit-options.js";

let server: Server;
let baseUrl: string;
const started: { method: string; at: number }[] = [];
const silent = { debug() {}, info() {}, warn() {}, error() {} };

beforeAll(async () => {
  server = createServer((req, res) => {
    started.push({ method: req.method ?? "GET", at: performance.now() });
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.statusCode = req.method === "POST" ? 201 : 200;
      res.end('{"id":1}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** When each request left Octokit's queue (its fetch was called): what the write spacing governs. */
const sent: { method: string; at: number }[] = [];
const client = (writeSpacing: boolean) => {
  const Octokit = charterOctokit({ writeSpacing });
  const fetch = (input: string | URL | Request, init?: RequestInit) => {
    sent.push({ method: (init?.method ?? "GET").toUpperCase(), at: performance.now() });
    return globalThis.fetch(input, init);
  };
  return new Octokit({ baseUrl, auth: { token: "t" }, log: silent, request: { fetch } } as ConstructorParameters<typeof ProbotOctokit>[0]);
};

describe("Charter's Octokit in production (write spacing on)", () => {
  it("still spaces writes a second apart, even when they are issued together", async () => {
    const octokit = client(true);
    await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" }); // the connection is open
    started.length = 0;
    sent.length = 0;
    await Promise.all([1, 2, 3].map((n) => octokit.request("POST /repos/{owner}/{repo}/issues/{issue_number}/reactions", { owner: "o", repo: "r", issue_number: n, content: "eyes" })));
    expect(started.filter((s) => s.method === "POST")).toHaveLength(3);
    // Bottleneck schedules them 1,000 ms apart (measured where they leave the queue; a busy machine delays one a little; without the spacing they leave together)
    const posts = sent.filter((s) => s.method === "POST").map((s) => s.at);
    expect(posts).toHaveLength(3);
    expect(posts[1]! - posts[0]!).toBeGreaterThanOrEqual(900);
    expect(posts[2]! - posts[1]!).toBeGreaterThanOrEqual(900);
  }, 15_000);

  it("adds no idle time to a read: sequential GETs cost about what they cost with throttling off", async () => {
    const perRequest = async (writeSpacing: boolean) => {
      const octokit = client(writeSpacing);
      await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
      const n = 30;
      const t = performance.now();
      for (let i = 0; i < n; i++) await octokit.request("GET /repos/{owner}/{repo}", { owner: "o", repo: "r" });
      return (performance.now() - t) / n;
    };
    const off: number[] = [];
    const on: number[] = [];
    for (let round = 0; round < 3; round++) {
      off.push(await perRequest(false));
      on.push(await perRequest(true));
    }
    const best = (xs: number[]) => Math.min(...xs);
    // Bottleneck's zero-length timers made this about 11-15 ms more per request (a dozen timers of >= 1 ms each).
    expect(best(on) - best(off)).toBeLessThan(4);
  }, 30_000);
});
