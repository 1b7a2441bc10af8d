/**
 * Counts what the webhook guard saw: run the suite with `CHARTER_WEBHOOK_LOG=<file>` (one JSON line
 * per delivery checked by `test/support/openapi/webhook-guard.ts`), then
 *
 *   node --import tsx scripts/webhook-fidelity.ts <file>
 *
 * prints the number of distinct payloads delivered (event + exact JSON), how many of them do not
 * validate against GitHub's webhook schemas, and the most frequent problems.
 */
import { readFileSync } from "node:fs";

interface Line {
  event: string;
  action?: string;
  source: string;
  digest: string;
  problems: string[];
}

const file = process.argv[2];
if (!file) {
  console.error("usage: node --import tsx scripts/webhook-fidelity.ts <CHARTER_WEBHOOK_LOG file>");
  process.exit(2);
}
const lines = readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as Line);
const distinct = new Map<string, Line>();
for (const l of lines) distinct.set(l.digest, l);
const failing = [...distinct.values()].filter((l) => l.problems.length > 0);
console.log(`${lines.length} deliveries, ${distinct.size} distinct payloads, ${failing.length} do not validate`);

const byEvent = new Map<string, [number, number]>();
for (const l of distinct.values()) {
  const key = `${l.event}${l.action ? `.${l.action}` : ""}`;
  const [n, bad] = byEvent.get(key) ?? [0, 0];
  byEvent.set(key, [n + 1, bad + (l.problems.length > 0 ? 1 : 0)]);
}
for (const [key, [n, bad]] of [...byEvent].sort((a, b) => b[1][0] - a[1][0])) console.log(`  ${key}: ${n} distinct, ${bad} failing`);

const problems = new Map<string, number>();
for (const l of failing) for (const p of new Set(l.problems.map((x) => `${l.event}: ${x.replace(/\/\d+(?=\/|:)/g, "/N")}`))) problems.set(p, (problems.get(p) ?? 0) + 1);
if (problems.size > 0) console.log("most frequent problems (distinct payloads):");
for (const [p, n] of [...problems].sort((a, b) => b[1] - a[1]).slice(0, 60)) console.log(`  ${n}× ${p}`);
