// Relay cursor connections (edges, node, cursor, pageInfo, totalCount) over the core's pages.
// Cursors and counts are getters, so they are computed only when a query reads them, and with
// no closure made per edge (an edge's getter is its class's). A cursor is signed synchronously
// (the pages hand over their codec's encoder), so it is a plain property to the compiled executor.
import { z } from "zod";
import { DomainError } from "../errors.js";

type Lazy<T> = T | Promise<T>;

/** A connection as the schema's *Connection types read it. */
export type Connection<T> = {
  readonly edges: readonly { readonly node: T; readonly cursor: string }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: Lazy<number>;
};

/**
 * The fields of the *Connection, *Edge and PageInfo types above that may answer a promise (the
 * `Lazy` ones): a compiled operation resolves them, and reads every other field as a plain property.
 */
export const lazyConnectionFields: ReadonlySet<string> = new Set(["totalCount"]);

type Page<T> = {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  cursorOf: (item: T) => string;
  totalCount: () => Lazy<number>;
};

class Edge<T> {
  constructor(
    readonly node: T,
    private readonly page: Page<T>,
  ) {}

  get cursor() {
    return this.page.cursorOf(this.node);
  }
}

class PageInfo<T> {
  constructor(
    private readonly items: readonly T[],
    private readonly page: Page<T>,
  ) {}

  get hasNextPage() {
    return this.page.hasNextPage;
  }

  get hasPreviousPage() {
    return this.page.hasPreviousPage;
  }

  get startCursor() {
    const first = this.items[0];
    return first === undefined ? null : this.page.cursorOf(first);
  }

  get endCursor() {
    const last = this.items.at(-1);
    return last === undefined ? null : this.page.cursorOf(last);
  }
}

class PageConnection<T> implements Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo<T>;

  constructor(
    items: readonly T[],
    private readonly page: Page<T>,
  ) {
    this.edges = items.map((node) => new Edge(node, page));
    this.pageInfo = new PageInfo(items, page);
  }

  get totalCount() {
    return this.page.totalCount();
  }
}

/** A connection of `items`, each edge's cursor from `cursorOf`. */
export function connection<T>(items: readonly T[], page: Page<T>): Connection<T> {
  return new PageConnection(items, page);
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
