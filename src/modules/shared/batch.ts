// Batch reads for per-request loaders (GraphQL's DataLoaders): one statement for many keys,
// answered in the order the keys were asked, so a loader can hand each caller its own.

/** `rows` in the order of `keys` (by `keyOf`); a key with no row gets undefined. */
export function inKeyOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): (R | undefined)[] {
  const byKey = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => byKey.get(key));
}

/** `rows` grouped by `keyOf`, one (possibly empty) group per key of `keys`, in that order. */
export function groupedInKeyOrder<K, R>(keys: readonly K[], rows: readonly R[], keyOf: (row: R) => K): R[][] {
  const groups = new Map<K, R[]>(keys.map((key) => [key, []]));
  for (const row of rows) groups.get(keyOf(row))?.push(row);
  return keys.map((key) => groups.get(key) ?? []);
}
