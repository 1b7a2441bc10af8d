/** A unified-diff-like patch: the common prefix and suffix kept, the middle removed and added. */
export function patchOf(before: string | undefined, after: string): string {
  const a = (before ?? "").split("\n");
  const b = after.split("\n");
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return [`@@ -${start + 1} +${start + 1} @@`, ...a.slice(start, a.length - end).map((l) => `-${l}`), ...b.slice(start, b.length - end).map((l) => `+${l}`)].join("\n");
}
