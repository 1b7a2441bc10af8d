import { performance } from "node:perf_hooks";
const list = process.argv.slice(2);
let t = performance.now();
const out = [];
for (const m of ["probot", ...list]) {
  await import(m.startsWith("dist/") ? "/work/wt/coldstart/" + m : m);
  const n = performance.now(); out.push(`${m}: ${(n - t).toFixed(1)}`); t = n;
}
console.log(out.join("\n"));
