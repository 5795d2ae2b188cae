import { z } from "zod";
import { int4, pageLimitParam, recordIdParam, text } from "../shared/fields.js";
import { stockEventTypeSchema, stockMovementKindSchema } from "./movements.js";

/** Stock as every API shows it (embedded in v2 products, and on its own). */
export const stockSchema = z
  .object({
    onHand: z.number().int().meta({ example: 40 }),
    reserved: z.number().int().meta({ example: 2 }),
    available: z.number().int().meta({ example: 38 }),
    version: z.number().int().meta({ description: "Version of the product's inventory stream", example: 7 }),
  })
  .meta({ id: "Stock" });

export const productParams = z.object({ id: recordIdParam().meta({ example: 1 }) });

export const stockView = stockSchema.extend({ productId: z.number().int() }).meta({ id: "StockLevel" });

export const adjustment = z
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
    reason: text().trim().min(1).max(500).optional().meta({ example: "cycle count" }),
    expectedVersion: z
      .number()
      .int()
      .min(0)
      .max(int4.max)
      .optional()
      .meta({ description: "Refuse (409) unless the stock is still at this version" }),
  })
  .meta({ id: "StockAdjustment" });

export const historyQuery = z.strictObject({
  limit: pageLimitParam(),
  cursor: text().max(1000).optional().meta({ description: "page.nextCursor of a previous page" }),
});

export const historyPage = z
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

export const idempotencyHeader = z.object({
  "idempotency-key": text()
    .min(1)
    .max(200)
    .optional()
    .meta({ description: "Repeat a request with the same key to get the first answer again; nothing is written twice" }),
});
