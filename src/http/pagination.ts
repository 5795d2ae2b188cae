import type { Request } from "express";

/** v1's offset envelope (count/next/previous/results) for page `page` of `pageSize`, with links on the same path. */
export function offsetEnvelope<T>(req: Request, items: T[], total: number, page: number, pageSize: number) {
  const link = (n: number) => `${req.baseUrl}${req.path}?page=${n}&page_size=${pageSize}`;
  return {
    count: total,
    next: page * pageSize < total ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
    results: items,
  };
}

/**
 * A keyset page from `limit + 1` rows fetched after a cursor: the first `limit`, and the cursor
 * of the last one when the extra row shows there is more.
 */
export function keysetPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string) {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
