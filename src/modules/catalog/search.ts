import { z } from "zod";
import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { stockLevelView } from "../inventory/stock-view.js";
import { type CursorBinding, cursorCodec } from "../shared/cursor.js";
import { int4 } from "../shared/fields.js";
import { epochMs, jsonRows } from "../shared/json-rows.js";
import type { ProductView, ProductWithStock } from "./views.js";

export const productSortFields = ["price", "name", "sku", "createdAt", "id"] as const;
export type ProductSortField = (typeof productSortFields)[number];
export type ProductSort = { field: ProductSortField; direction: "asc" | "desc" }[];

export type ProductSearch = {
  categoryId?: number;
  /** Case-insensitive text in name, description or SKU. */
  q?: string;
  /** true: available stock > 0; false: none available. */
  inStock?: boolean;
  minPrice?: number;
  maxPrice?: number;
  sort: ProductSort;
  limit: number;
  /** page.nextCursor or page.prevCursor of a previous page of the same search. */
  cursor?: string;
  /**
   * Which way to go from `cursor`'s row, whichever way it was made for: "n" after it, "p" before
   * it. GraphQL gives one cursor per edge and says the way by the argument (after, before).
   */
  cursorDirection?: "n" | "p";
  includeCategory: boolean;
};

export type ProductPage = {
  items: ProductWithStock[];
  next?: string;
  prev?: string;
  /** The cursor of one row of this page: "n" continues after it, "p" goes back before it (GraphQL edge cursors). */
  cursorOf(product: ProductView, direction: "n" | "p"): string;
};

/** The filters of a search, without its sort and page: what a count needs. */
export type ProductFilters = Pick<ProductSearch, "categoryId" | "q" | "inStock" | "minPrice" | "maxPrice">;

/** A page boundary: the sort key of the boundary row (sort fields…, id last) and which way to go. */
type Position = { k: (string | number)[]; d: "n" | "p" };

// The type of each sort field's value in a position: what keysetCondition hands to PostgreSQL.
const keyValue: Record<ProductSortField, z.ZodType<string | number>> = {
  price: z.number().int().min(int4.min).max(int4.max),
  name: z.string(),
  sku: z.string(),
  createdAt: z.iso.datetime(),
  id: z.number().int().min(int4.min).max(int4.max),
};

const positionSchema = (order: ProductSort) =>
  z.object({
    k: z.tuple(order.map((s) => keyValue[s.field]) as [z.ZodType<string | number>]),
    d: z.enum(["n", "p"]),
  }) as unknown as z.ZodType<Position>;

// A cursor holds for the rows this search selects and the order it walks them in.
const bindingOf = (search: ProductSearch, order: ProductSort): CursorBinding => ({
  list: "products",
  sort: order.map((s) => `${s.direction === "desc" ? "-" : ""}${s.field}`).join(","),
  categoryId: search.categoryId,
  q: search.q,
  inStock: search.inStock,
  minPrice: search.minPrice,
  maxPrice: search.maxPrice,
});

// One hand-written statement (products ⟕ stock ⟕ category): the list is the hottest read, and
// Prisma's findMany with includes costs two round trips and ~1 ms of CPU per call (bench/rest).
const column: Record<ProductSortField, Prisma.Sql> = {
  price: Prisma.raw("p.price_amount"),
  name: Prisma.raw("p.name"),
  sku: Prisma.raw("p.sku"),
  createdAt: Prisma.raw("p.created_at"),
  id: Prisma.raw("p.id"),
};
const field: Record<ProductSortField, keyof ProductView> = {
  price: "priceAmount",
  name: "name",
  sku: "sku",
  createdAt: "createdAt",
  id: "id",
};

// The id breaks ties so the order is total, which keyset pagination needs.
function totalOrder(sort: ProductSort): ProductSort {
  return [...sort.filter((s) => s.field !== "id"), sort.find((s) => s.field === "id") ?? { field: "id", direction: "asc" }];
}

function keyOf(product: ProductView, order: ProductSort): (string | number)[] {
  return order.map((s) => {
    const value = product[field[s.field]];
    return value instanceof Date ? value.toISOString() : (value as string | number);
  });
}

// Rows strictly after (or before) the boundary key: (a > x) OR (a = x AND b > y) OR …
function keysetCondition(order: ProductSort, cursor: Position): Prisma.Sql {
  const value = (i: number) => {
    const raw = cursor.k[i];
    return order[i]?.field === "createdAt" ? new Date(String(raw)) : raw;
  };
  const alternatives = order.map((sort, i) => {
    const forward = (sort.direction === "asc") === (cursor.d === "n");
    const equalBefore = order.slice(0, i).map((s, j) => Prisma.sql`${column[s.field]} = ${value(j)}`);
    const beyond = forward ? Prisma.sql`${column[sort.field]} > ${value(i)}` : Prisma.sql`${column[sort.field]} < ${value(i)}`;
    return Prisma.join([...equalBefore, beyond], " AND ", "(", ")");
  });
  return Prisma.join(alternatives, " OR ", "(", ")");
}

// The WHERE conditions of a search's filters, over products p ⟕ stock_levels s.
function filterConditions(search: ProductFilters): Prisma.Sql[] {
  const available = Prisma.sql`coalesce(s.on_hand, 0) > coalesce(s.reserved, 0)`;
  return [
    search.categoryId !== undefined && Prisma.sql`p.category_id = ${search.categoryId}`,
    search.q &&
      Prisma.sql`(strpos(lower(p.name), lower(${search.q})) > 0 OR strpos(lower(p.description), lower(${search.q})) > 0 OR strpos(lower(p.sku), lower(${search.q})) > 0)`,
    search.inStock === true && available,
    search.inStock === false && Prisma.sql`NOT (${available})`,
    search.minPrice !== undefined && Prisma.sql`p.price_amount >= ${search.minPrice}`,
    search.maxPrice !== undefined && Prisma.sql`p.price_amount <= ${search.maxPrice}`,
  ].filter((c): c is Prisma.Sql => Boolean(c));
}

/** How many products match `filters`, in one statement. */
export async function countProducts(prisma: PrismaClient, filters: ProductFilters): Promise<number> {
  const conditions = filterConditions(filters);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id
    ${conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty}`;
  return row?.count ?? 0;
}

type ProductRow = Omit<ProductView, "createdAt" | "updatedAt"> & {
  createdAtMs: number;
  updatedAtMs: number;
  onHand: number;
  reserved: number;
  stockVersion: number;
  categorySlug?: string;
  categoryName?: string;
};

// A row as one product with its stock (and category), each field named: a list page maps 20-100
// rows, and rest/spread copies cost a tenth of an uncached list request (bench/rest's profile).
function productWithStock(row: ProductRow): ProductWithStock {
  const item: ProductWithStock = {
    id: row.id,
    sku: row.sku,
    name: row.name,
    description: row.description,
    priceAmount: row.priceAmount,
    priceCurrency: row.priceCurrency,
    categoryId: row.categoryId,
    version: row.version,
    createdAt: new Date(row.createdAtMs),
    updatedAt: new Date(row.updatedAtMs),
    stock: stockLevelView({ onHand: row.onHand, reserved: row.reserved, version: row.stockVersion }),
  };
  if (row.categorySlug !== undefined)
    item.category = { id: row.categoryId, slug: row.categorySlug, name: row.categoryName ?? "" };
  return item;
}

/** One page of products matching `search`, with live stock (and category), in one statement. */
export async function searchProducts(prisma: PrismaClient, search: ProductSearch): Promise<ProductPage> {
  const order = totalOrder(search.sort);
  const codec = await cursorCodec(prisma);
  const binding = bindingOf(search, order);
  const decoded = search.cursor ? codec.decode(search.cursor, binding, positionSchema(order)) : undefined;
  const cursor = decoded && search.cursorDirection ? { ...decoded, d: search.cursorDirection } : decoded;
  const backwards = cursor?.d === "p";
  const conditions = [...filterConditions(search), ...(cursor ? [keysetCondition(order, cursor)] : [])];
  const orderBy = order.map(
    (s) => Prisma.sql`${column[s.field]} ${Prisma.raw((s.direction === "asc") !== backwards ? "ASC" : "DESC")}`,
  );
  const rows = await jsonRows<ProductRow>(
    prisma,
    Prisma.sql`
    SELECT p.id, p.sku, p.name, p.description, p.price_amount AS "priceAmount", p.price_currency AS "priceCurrency",
           p.category_id AS "categoryId", p.version, ${epochMs("p.created_at")} AS "createdAtMs", ${epochMs("p.updated_at")} AS "updatedAtMs",
           coalesce(s.on_hand, 0) AS "onHand", coalesce(s.reserved, 0) AS reserved, coalesce(s.version, 0) AS "stockVersion"
           ${search.includeCategory ? Prisma.sql`, c.slug AS "categorySlug", c.name AS "categoryName"` : Prisma.empty}
    FROM products p
    LEFT JOIN stock_levels s ON s.product_id = p.id
    ${search.includeCategory ? Prisma.sql`JOIN categories c ON c.id = p.category_id` : Prisma.empty}
    ${conditions.length ? Prisma.sql`WHERE ${Prisma.join(conditions, " AND ")}` : Prisma.empty}
    ORDER BY ${Prisma.join(orderBy, ", ")}
    LIMIT ${search.limit + 1}`,
  );
  const hasMore = rows.length > search.limit;
  const page = rows.slice(0, search.limit);
  if (backwards) page.reverse();
  const items = page.map(productWithStock);
  const first = items[0];
  const last = items.at(-1);
  const moreAfter = backwards ? true : hasMore;
  const moreBefore = backwards ? hasMore : cursor !== undefined;
  // A page asks for the same cursor more than once (the last edge's is the endCursor and `next`): each is signed once.
  const sign = codec.encoder(binding);
  const signed = { n: new Map<ProductView, string>(), p: new Map<ProductView, string>() };
  const position = (product: ProductView, d: Position["d"]) => {
    let cursor = signed[d].get(product);
    if (cursor === undefined) {
      cursor = sign({ k: keyOf(product, order), d });
      signed[d].set(product, cursor);
    }
    return cursor;
  };
  return {
    items,
    cursorOf: position,
    ...(last && moreAfter ? { next: position(last, "n") } : {}),
    ...(first && moreBefore ? { prev: position(first, "p") } : {}),
  };
}
