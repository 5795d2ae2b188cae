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
