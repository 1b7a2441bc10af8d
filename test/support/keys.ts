/**
 * Charter's sealed idempotency keys (`<!-- charter:key … -->`, src/core/trust/idempotency.ts) are
 * hidden in every comment and issue it creates. Nobody sees them; the tests that compare what a
 * person sees compare bodies without them (the keys themselves are tested in
 * test/faults/applied-writes.test.ts and test/trust/idempotency.test.ts).
 */
const OPEN = "\n\n<!-- charter:key ";
const CLOSE = " -->";

export function withoutKeys(body: string): string {
  let out = body;
  for (;;) {
    const start = out.indexOf(OPEN);
    if (start < 0) return out;
    const end = out.indexOf(CLOSE, start + OPEN.length);
    if (end < 0) return out;
    out = out.slice(0, start) + out.slice(end + CLOSE.length);
  }
}
