/**
 * A memo by object: `memo(key, compute)` computes once per key object (a parsed file's model, which
 * the loader reuses while the file's text is unchanged: src/load/load.ts) and holds the result as
 * long as the object lives. Keys and results are never mutated by anyone: callers share them.
 */
export function memoByObject<K extends object, V>(): (key: K, compute: () => V) => V {
  const results = new WeakMap<K, V>();
  return (key, compute) => {
    if (results.has(key)) return results.get(key)!;
    const result = compute();
    results.set(key, result);
    return result;
  };
}
