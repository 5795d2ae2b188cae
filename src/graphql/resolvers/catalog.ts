// Catalog reads: products (with live stock), categories, and the fields that join them through loaders.
import { z } from "zod";
import { DomainError } from "../../errors.js";
import { productV2ListQuery } from "../../modules/catalog/schemas.js";
import { type ProductSearch, type ProductSortField, productSortFields } from "../../modules/catalog/search.js";
import type { CategoryView, ProductView, ProductWithStock } from "../../modules/catalog/views.js";
import { formatMoney } from "../../modules/shared/money.js";
import { connection, cursorArgument, offsetConnection } from "../connections.js";
import type { GraphQLContext } from "../context.js";
import { idOf, toGlobalId } from "../global-id.js";
import { given, pageSize, parseArgument } from "../input.js";
import { sortFieldValue } from "../type-defs/catalog.js";

type Filter = {
  categoryId?: string | null;
  search?: string | null;
  inStock?: boolean | null;
  minPrice?: number | null;
  maxPrice?: number | null;
};
type Order = { field: ProductSortField; direction: "asc" | "desc" };
type ProductsArgs = {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  filter?: Filter | null;
  orderBy?: Order[] | null;
};

// The filters of REST's list, reused: the same bounds and messages on both transports.
const filterSchema = z.object({
  search: productV2ListQuery.shape.q,
  minPrice: productV2ListQuery.shape.minPrice,
  maxPrice: productV2ListQuery.shape.maxPrice,
});

// An edge's cursor holds the core's cursor for going on after the product and the one for
// going back before it, so the same cursor serves `after` and `before`. A REST page cursor
// (one part) is accepted as it is.
const separator = "~";
const cursorPart = (cursor: string, index: 0 | 1) => {
  const parts = cursor.split(separator);
  return parts.length === 1 ? cursor : (parts[index] ?? "");
};

function searchOf(args: ProductsArgs): ProductSearch {
  if (args.first != null && args.last != null) {
    throw new DomainError("ValidationFailed", "Give first or last, not both.", [{ detail: "not with first", field: ["last"] }]);
  }
  const backward = args.last != null || args.before != null;
  if (backward && (args.last == null || args.before == null || args.after != null)) {
    throw new DomainError("ValidationFailed", "Paging backward takes last with before (the startCursor of a page).", [
      { detail: "last and before go together, without first or after", field: [args.before == null ? "before" : "last"] },
    ]);
  }
  const filter = given(args.filter ?? {});
  const checked = parseArgument(filterSchema, filter, ["filter"]);
  return {
    categoryId: filter.categoryId === undefined ? undefined : idOf("Category", filter.categoryId, ["filter", "categoryId"]),
    q: checked.search,
    inStock: filter.inStock,
    minPrice: checked.minPrice,
    maxPrice: checked.maxPrice,
    sort: args.orderBy?.length ? args.orderBy.slice(0, 5) : [{ field: "id", direction: "asc" }],
    limit: backward ? pageSize(args.last, "last") : pageSize(args.first, "first"),
    cursor: backward ? cursorPart(args.before ?? "", 1) : args.after ? cursorPart(args.after, 0) : undefined,
    includeCategory: false,
  };
}

/** A page of products as a connection, and its count only when asked for. */
async function productConnection(ctx: GraphQLContext, search: ProductSearch, argument = "after") {
  const { catalog } = ctx.modules;
  const page = await cursorArgument(argument, catalog.queries.searchProducts(search));
  const { sort: _sort, limit: _limit, cursor: _cursor, includeCategory: _include, ...filters } = search;
  return connection(page.items, {
    hasNextPage: page.next !== undefined,
    hasPreviousPage: page.prev !== undefined,
    cursorOf: (product) => `${page.cursorOf(product, "n")}${separator}${page.cursorOf(product, "p")}`,
    totalCount: () => catalog.queries.countProducts(filters),
  });
}

const zeroStock = { onHand: 0, reserved: 0, available: 0, version: 0 };

export const catalogResolvers = {
  ProductSortField: Object.fromEntries(productSortFields.map((field) => [sortFieldValue(field), field])),
  SortDirection: { ASC: "asc", DESC: "desc" },
  Query: {
    products: (_: unknown, args: ProductsArgs, ctx: GraphQLContext) =>
      productConnection(ctx, searchOf(args), args.before != null ? "before" : "after"),
    product: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
      ctx.loaders.product.load(idOf("Product", args.id, ["id"])),
    async categories(_: unknown, args: { first?: number | null; after?: string | null }, ctx: GraphQLContext) {
      return offsetConnection(await ctx.modules.catalog.queries.listCategories(), pageSize(args.first, "first"), args.after);
    },
    category: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
      ctx.loaders.category.load(idOf("Category", args.id, ["id"])),
  },
  Product: {
    id: (p: ProductView) => toGlobalId("Product", p.id),
    databaseId: (p: ProductView) => p.id,
    price: (p: ProductView) => ({ amount: p.priceAmount, currency: p.priceCurrency }),
    category: (p: ProductView, _: unknown, ctx: GraphQLContext) => ctx.loaders.category.load(p.categoryId),
    stock: async (p: ProductView & Partial<Pick<ProductWithStock, "stock">>, _: unknown, ctx: GraphQLContext) =>
      p.stock ?? (await ctx.loaders.stock.load(p.id)) ?? zeroStock,
  },
  Money: {
    formatted: (m: { amount: number; currency: string }) => formatMoney(m.amount, m.currency),
  },
  Category: {
    id: (c: CategoryView) => toGlobalId("Category", c.id),
    databaseId: (c: CategoryView) => c.id,
    products: (c: CategoryView, args: { first?: number | null; after?: string | null }, ctx: GraphQLContext) =>
      productConnection(ctx, {
        categoryId: c.id,
        sort: [{ field: "id", direction: "asc" }],
        limit: pageSize(args.first, "first"),
        cursor: args.after ? cursorPart(args.after, 0) : undefined,
        includeCategory: false,
      }),
  },
};
