import type { InventoryCommands } from "../modules/inventory/commands.js";
import type { InventoryQueries } from "../modules/inventory/queries.js";
import {
  adjustment,
  historyPage,
  historyQuery,
  idempotencyHeader,
  productParams,
  stockView,
} from "../modules/inventory/schemas.js";
import type { VersionedApi } from "./operations.js";

/** Inventory operations of v2: stock, its history, and stock movements. */
export function inventoryRoutesV2(api: VersionedApi, queries: InventoryQueries, commands: InventoryCommands): void {
  api.operation({
    method: "get",
    path: "/products/:id/stock",
    operationId: "getStock",
    summary: "Get a product's stock",
    description: "Current on-hand, reserved and available stock, and the stream version for `expectedVersion`.",
    tag: "Inventory",
    params: productParams,
    success: { status: 200, description: "The stock level", schema: stockView },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params }) {
      return { status: 200, body: await queries.stockOf(params.id) };
    },
  });

  api.operation({
    method: "get",
    path: "/products/:id/stock/history",
    operationId: "getStockHistory",
    summary: "List a product's stock movements",
    description: "The product's inventory events, oldest first, with their feed positions; follow `page.nextCursor`.",
    tag: "Inventory",
    params: productParams,
    query: historyQuery,
    success: { status: 200, description: "A page of stock events", schema: historyPage },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params, query }) {
      await queries.stockOf(params.id); // 404 for an unknown product rather than an empty page
      const { data, nextCursor } = await queries.stockHistoryPage(params.id, query);
      return {
        status: 200,
        body: {
          data: data.map((e) => ({ ...e, occurredAt: e.occurredAt.toISOString() })),
          page: { limit: query.limit, nextCursor },
        },
      };
    },
  });

  api.operation({
    method: "post",
    path: "/products/:id/stock/adjustments",
    operationId: "adjustStock",
    summary: "Record a stock movement",
    description:
      "Appends one inventory event and updates the stock in the same transaction. Concurrent writers never lose an update. A stale `expectedVersion` answers 409, a movement that would make stock negative (or reserve more than is on hand) 422; nothing is written in either case. Send `Idempotency-Key` to make retries safe.",
    tag: "Inventory",
    scopes: ["inventory:write"],
    params: productParams,
    headers: idempotencyHeader,
    body: adjustment,
    success: { status: 201, description: "The new stock level", schema: stockView },
    errors: ["NotFound", "Conflict", "InvariantViolated"],
    async handler({ params, body, req, actor }) {
      const stock = await commands.moveStock(actor, {
        productId: params.id,
        kind: body.kind,
        quantity: body.quantity,
        reason: body.reason,
        expectedVersion: body.expectedVersion,
        idempotencyKey: req.get("idempotency-key"),
        correlationId: req.id?.toString(),
      });
      return { status: 201, body: stock };
    },
  });
}
