// Catalog reads: products (with live stock), categories, and the fields that join them through loaders.
import type { GraphQLResolveInfo } from "graphql";
import { z } from "zod";
import { DomainError } from "../../errors.js";
import { productV2ListQuery } from "../../modules/catalog/schemas.js";
import { type ProductSearch, type ProductSortField, productSortFields } from "../../modules/catalog/search.js";
import { connection, cursorArgument, offsetConnection } from "../connections.js";
import type { GraphQLContext } from "../context.js";
import { idOf } from "../global-id.js";
import { given, pageSize, parseArgument } from "../input.js";
import { selectedFieldNames } from "../lookahead.js";
import { type CategoryNode, categoryNode, type ProductNode, productNode } from "../nodes.js";
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

// The category columns the products statement can join (catalog.queries.searchProducts with
// includeCategory): when a page asks for nothing else of its categories, they come in the same statement.
const joinedCategoryFields = new Set(["__typename", "id", "databaseId", "slug", "name"]);

function joinsCategory(info: GraphQLResolveInfo | undefined): boolean {
  const fields = info && selectedFieldNames(info, ["edges", "node", "category"]);
  return fields !== undefined && [...fields].every((name) => joinedCategoryFields.has(name));
}

function searchOf(args: ProductsArgs, info?: GraphQLResolveInfo): ProductSearch {
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
    cursor: (backward ? args.before : args.after) ?? undefined,
    cursorDirection: backward ? "p" : "n",
    includeCategory: joinsCategory(info),
  };
}

/** A page of products as a connection, and its count only when asked for. */
async function productConnection(ctx: GraphQLContext, search: ProductSearch, argument = "after") {
  const { catalog } = ctx.modules;
  const page = await cursorArgument(argument, catalog.queries.searchProducts(search));
  const { sort: _sort, limit: _limit, cursor: _cursor, cursorDirection: _way, includeCategory: _include, ...filters } = search;
  return connection(page.items.map(productNode), {
    hasNextPage: page.next !== undefined,
    hasPreviousPage: page.prev !== undefined,
    // One signed cursor per edge: `after` goes on after its product, `before` back before it.
    cursorOf: (product) => page.cursorOf(product.view, "n"),
    totalCount: () => catalog.queries.countProducts(filters),
  });
}

const zeroStock = { onHand: 0, reserved: 0, available: 0, version: 0 };

export const catalogResolvers = {
  ProductSortField: Object.fromEntries(productSortFields.map((field) => [sortFieldValue(field), field])),
  SortDirection: { ASC: "asc", DESC: "desc" },
  Query: {
    products: (_: unknown, args: ProductsArgs, ctx: GraphQLContext, info: GraphQLResolveInfo) =>
      productConnection(ctx, searchOf(args, info), args.before != null ? "before" : "after"),
    product: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
      ctx.loaders.product.load(idOf("Product", args.id, ["id"])),
    async categories(_: unknown, args: { first?: number | null; after?: string | null }, ctx: GraphQLContext) {
      const categories = (await ctx.modules.catalog.queries.listCategories()).map(categoryNode);
      return offsetConnection(categories, pageSize(args.first, "first"), args.after);
    },
    category: (_: unknown, args: { id: string }, ctx: GraphQLContext) =>
      ctx.loaders.category.load(idOf("Category", args.id, ["id"])),
  },
  // The other fields of Product, Money and Category are their nodes' (nodes.ts).
  Product: {
    category: ({ view }: ProductNode, _: unknown, ctx: GraphQLContext) =>
      view.category ? categoryNode(view.category) : ctx.loaders.category.load(view.categoryId),
    // Synchronous when the page brought the stock along: a promise per field costs more than the field.
    stock: ({ view }: ProductNode, _: unknown, ctx: GraphQLContext) =>
      view.stock ?? ctx.loaders.stock.load(view.id).then((stock) => stock ?? zeroStock),
  },
  Category: {
    products: (
      { view }: CategoryNode,
      args: { first?: number | null; after?: string | null },
      ctx: GraphQLContext,
      info: GraphQLResolveInfo,
    ) =>
      productConnection(ctx, {
        categoryId: view.id,
        sort: [{ field: "id", direction: "asc" }],
        limit: pageSize(args.first, "first"),
        cursor: args.after ?? undefined,
        cursorDirection: "n",
        includeCategory: joinsCategory(info),
      }),
  },
};
