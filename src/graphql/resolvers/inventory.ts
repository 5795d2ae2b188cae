// Inventory reads: a product's stock movements (its event stream) and stock levels' products.
import type { StockView } from "../../modules/inventory/stock-view.js";
import { connection, cursorArgument } from "../connections.js";
import type { GraphQLContext } from "../context.js";
import { idOf } from "../global-id.js";
import { pageSize } from "../input.js";

export const inventoryResolvers = {
  Query: {
    async stockHistory(
      _: unknown,
      args: { productId: string; first?: number | null; after?: string | null },
      ctx: GraphQLContext,
    ) {
      const productId = idOf("Product", args.productId, ["productId"]);
      const first = pageSize(args.first, "first");
      const { inventory } = ctx.modules;
      const stock = await ctx.loaders.stock.load(productId);
      if (!stock) return null;
      const page = await cursorArgument(
        "after",
        inventory.queries.stockHistoryPage(productId, { cursor: args.after ?? undefined, limit: first }),
      );
      return connection(page.data, {
        hasNextPage: page.nextCursor !== null,
        hasPreviousPage: Boolean(args.after),
        cursorOf: page.cursorOf,
        // Stream versions count the product's inventory events from 1.
        totalCount: () => stock.version,
      });
    },
  },
  StockLevel: {
    product: (s: StockView, _: unknown, ctx: GraphQLContext) => ctx.loaders.product.load(s.productId),
  },
};
