// Relay cursor connections (edges, node, cursor, pageInfo, totalCount) over the core's pages.
// Cursors and counts are functions, so the default resolver computes them only when asked for.
import { z } from "zod";
import { DomainError } from "../errors.js";

type Lazy<T> = () => T | Promise<T>;

/** A connection as the schema's *Connection types read it. */
export type Connection<T> = {
  edges: { node: T; cursor: Lazy<string> }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: Lazy<string | null>; endCursor: Lazy<string | null> };
  totalCount: Lazy<number>;
};

/** A connection of `items`, each edge's cursor from `cursorOf`. */
export function connection<T>(
  items: readonly T[],
  page: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    cursorOf: (item: T) => string | Promise<string>;
    totalCount: Lazy<number>;
  },
): Connection<T> {
  const first = items[0];
  const last = items.at(-1);
  return {
    edges: items.map((node) => ({ node, cursor: () => page.cursorOf(node) })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: () => (first === undefined ? null : page.cursorOf(first)),
      endCursor: () => (last === undefined ? null : page.cursorOf(last)),
    },
    totalCount: page.totalCount,
  };
}

// Lists short enough to be read whole (categories) page by position: the cursor is the offset.
const offsetCursor = z.string().regex(/^offset:(0|[1-9][0-9]{0,5})$/);

/** A page of a list read whole: `first` items after the `after` cursor. */
export function offsetConnection<T>(items: readonly T[], first: number, after: string | null | undefined): Connection<T> {
  let start = 0;
  if (after) {
    const decoded = Buffer.from(after, "base64url").toString("utf8");
    if (!offsetCursor.safeParse(decoded).success) {
      throw new DomainError("ValidationFailed", "after is not a cursor of this list.", [
        { detail: "use pageInfo.endCursor of the previous page", field: ["after"] },
      ]);
    }
    start = Number(decoded.slice("offset:".length)) + 1;
  }
  const page = items.slice(start, start + first);
  const offsets = new Map(page.map((item, i) => [item, start + i]));
  return connection(page, {
    hasNextPage: start + first < items.length,
    hasPreviousPage: start > 0,
    cursorOf: (item) => Buffer.from(`offset:${offsets.get(item) ?? 0}`).toString("base64url"),
    totalCount: () => items.length,
  });
}

/** `page`, with the core's refusal of a cursor (which it names "cursor") naming the argument it came in as. */
export async function cursorArgument<T>(argument: string, page: Promise<T>): Promise<T> {
  try {
    return await page;
  } catch (error) {
    if (error instanceof DomainError && error.code === "ValidationFailed" && error.errors.some((e) => "parameter" in e)) {
      throw new DomainError("ValidationFailed", `${argument} is not a cursor this API issued for this list, sort and filters.`, [
        { detail: "use a cursor of this connection, with the same arguments", field: [argument] },
      ]);
    }
    throw error;
  }
}
