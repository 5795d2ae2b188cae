import { z } from "zod";
import { actorOf } from "../../auth/middleware.js";
import type { VersionedApi } from "../../http/api.js";
import { keysetPage } from "../../http/pagination.js";
import type { InventoryCommands } from "./commands.js";
import { stockEventTypeSchema, stockMovementKindSchema } from "./events.js";
import type { InventoryQueries } from "./queries.js";
import { stockSchema } from "./schemas.js";

const productParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647).meta({ example: 1 }) });

const stockView = stockSchema.extend({ productId: z.number().int() }).meta({ id: "StockLevel" });

const adjustment = z
  .strictObject({
    kind: stockMovementKindSchema.meta({
      description:
        "receive: goods arrived (+onHand); adjust: signed count correction, needs a reason; reserve: hold for an order (+reserved); release: cancel a hold (-reserved); ship: reserved goods left (-onHand, -reserved)",
    }),
    quantity: z
      .number()
      .int()
      .min(-1_000_000)
      .max(1_000_000)
      .refine((q) => q !== 0, "must not be zero")
      .meta({ description: "Positive, except for adjust (signed)", example: 5 }),
    reason: z.string().trim().min(1).max(500).optional().meta({ example: "cycle count" }),
    expectedVersion: z
      .number()
      .int()
      .min(0)
      .optional()
      .meta({ description: "Refuse (409) unless the stock is still at this version" }),
  })
  .meta({ id: "StockAdjustment" });

const historyQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "a cursor from page.nextCursor")
    .optional(),
});

const historyPage = z
  .object({
    data: z.array(
      z.object({
        streamVersion: z.number().int(),
        type: stockEventTypeSchema,
        quantity: z.number().int(),
        reason: z.string().nullable(),
        actor: z.string().meta({ example: "user:1" }),
        occurredAt: z.iso.datetime(),
        position: z
          .string()
          .meta({ description: "Feed position: resume a live subscription right after this event", example: "7421-1583" }),
      }),
    ),
    page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }),
  })
  .meta({ id: "StockHistoryPage" });

const idempotencyHeader = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Repeat a request with the same key to get the first answer again; nothing is written twice" }),
});

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
      const after = query.cursor ? Number(query.cursor) : 0;
      const rows = await queries.stockHistory(params.id, { afterVersion: after, limit: query.limit + 1 });
      const { data, nextCursor } = keysetPage(rows, query.limit, (event) => String(event.streamVersion));
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
    async handler({ params, body, req }) {
      const stock = await commands.moveStock(actorOf(req), {
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
