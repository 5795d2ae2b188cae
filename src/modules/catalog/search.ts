import type { Prisma, PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import type { Cursor } from "../../http/cursor.js";
import type { ProductView } from "./queries.js";

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
  cursor?: Cursor;
  includeCategory: boolean;
};

export type ProductWithStock = ProductView & {
  stock: { onHand: number; reserved: number; available: number; version: number };
  category?: { id: number; slug: string; name: string };
};

export type ProductPage = { items: ProductWithStock[]; next?: Cursor; prev?: Cursor };

const column: Record<ProductSortField, "priceAmount" | "name" | "sku" | "createdAt" | "id"> = {
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
  return order.map(({ field }) => {
    const value = product[column[field]];
    return value instanceof Date ? value.toISOString() : value;
  });
}

// Rows strictly after (or before) the boundary key: (a > x) OR (a = x AND b > y) OR …
function keysetCondition(order: ProductSort, cursor: Cursor): Prisma.ProductWhereInput {
  const value = (i: number) => {
    const raw = cursor.k[i];
    return order[i]?.field === "createdAt" ? new Date(String(raw)) : raw;
  };
  return {
    OR: order.map((sort, i) => {
      const forward = (sort.direction === "asc") === (cursor.d === "n");
      const equalBefore = order.slice(0, i).map((s, j) => ({ [column[s.field]]: value(j) }));
      return { AND: [...equalBefore, { [column[sort.field]]: { [forward ? "gt" : "lt"]: value(i) } }] };
    }),
  };
}

/** A product row with its stock_levels row as the stock object callers see. */
export function withStock<T extends ProductView & { stockLevel: { onHand: number; reserved: number; version: number } | null }>({
  stockLevel,
  ...product
}: T): Omit<T, "stockLevel"> & Pick<ProductWithStock, "stock"> {
  const level = stockLevel ?? { onHand: 0, reserved: 0, version: 0 };
  return {
    ...product,
    stock: { onHand: level.onHand, reserved: level.reserved, available: level.onHand - level.reserved, version: level.version },
  };
}

/** One page of products matching `search`, with live stock (and category), in one query. */
export async function searchProducts(prisma: PrismaClient, search: ProductSearch): Promise<ProductPage> {
  const order = totalOrder(search.sort);
  if (search.cursor && search.cursor.k.length !== order.length) {
    throw new DomainError("ValidationFailed", "The cursor belongs to a different sort order.", [
      { detail: "request the first page again with this sort", parameter: "cursor" },
    ]);
  }
  const backwards = search.cursor?.d === "p";
  const available = { onHand: { gt: prisma.stockLevel.fields.reserved } };
  const filters: Prisma.ProductWhereInput[] = [
    search.categoryId !== undefined ? { categoryId: search.categoryId } : {},
    search.q
      ? {
          OR: [
            { name: { contains: search.q, mode: "insensitive" } },
            { description: { contains: search.q, mode: "insensitive" } },
            { sku: { contains: search.q, mode: "insensitive" } },
          ],
        }
      : {},
    search.inStock === true ? { stockLevel: { is: available } } : {},
    search.inStock === false ? { NOT: { stockLevel: { is: available } } } : {},
    search.minPrice !== undefined ? { priceAmount: { gte: search.minPrice } } : {},
    search.maxPrice !== undefined ? { priceAmount: { lte: search.maxPrice } } : {},
    search.cursor ? keysetCondition(order, search.cursor) : {},
  ];
  const rows = await prisma.product.findMany({
    where: { AND: filters },
    orderBy: order.map((s) => ({ [column[s.field]]: (s.direction === "asc") !== backwards ? "asc" : "desc" })),
    take: search.limit + 1,
    include: {
      stockLevel: true,
      ...(search.includeCategory ? { category: { select: { id: true, slug: true, name: true } } } : {}),
    },
  });
  const hasMore = rows.length > search.limit;
  const page = rows.slice(0, search.limit);
  if (backwards) page.reverse();
  const items = page.map(withStock);
  const first = items[0];
  const last = items.at(-1);
  const moreAfter = backwards ? true : hasMore;
  const moreBefore = backwards ? hasMore : search.cursor !== undefined;
  return {
    items,
    ...(last && moreAfter ? { next: { k: keyOf(last, order), d: "n" as const } } : {}),
    ...(first && moreBefore ? { prev: { k: keyOf(first, order), d: "p" as const } } : {}),
  };
}
