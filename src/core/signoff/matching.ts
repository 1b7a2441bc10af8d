/**
 * Four eyes: one person signs for at most one signer of a gate. Which approver signs for which
 * role is a bipartite matching; this finds one that satisfies as many roles as possible
 * (augmenting paths, Kuhn's algorithm: gates have a handful of roles and reviewers).
 */

/**
 * `candidates[i]` lists who may sign slot i (keys such as lower-cased logins), in order of
 * preference. Returns, for each slot, the key assigned to it or undefined. No key is used twice.
 */
export function maximumMatching(candidates: readonly (readonly string[])[]): (string | undefined)[] {
  const slotOf = new Map<string, number>();
  const assigned: (string | undefined)[] = candidates.map(() => undefined);
  const tryAssign = (slot: number, visited: Set<string>): boolean => {
    for (const who of candidates[slot] ?? []) {
      if (visited.has(who)) continue;
      visited.add(who);
      const other = slotOf.get(who);
      if (other === undefined || tryAssign(other, visited)) {
        slotOf.set(who, slot);
        assigned[slot] = who;
        return true;
      }
    }
    return false;
  };
  candidates.forEach((_, slot) => {
    tryAssign(slot, new Set());
  });
  // a slot that lost its person to an augmenting path has been re-assigned; clear stale entries
  return assigned.map((who, slot) => (who !== undefined && slotOf.get(who) === slot ? who : undefined));
}
