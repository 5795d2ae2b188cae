// Catalog events, on one stream per product (streamType "product", streamId = product id). Each
// carries the product as a reader sees it (without stock, which has its own inventory stream), so
// a subscriber shows the change without a query.
import { z } from "zod";
import { defineEvents } from "../../events/schema.js";
import { productV2 } from "./schemas.js";
import type { ProductView } from "./views.js";

export const productStream = "product";

/** A product as a reader sees it, without its stock. */
export const productSnapshotSchema = productV2.omit({ category: true, stock: true }).strict();

export type ProductSnapshot = z.infer<typeof productSnapshotSchema>;

export const catalogEvents = defineEvents(productStream, {
  ProductCreated: productSnapshotSchema,
  ProductUpdated: productSnapshotSchema,
  ProductDeleted: z.strictObject({ id: z.number().int() }),
});

/** The event data of a product just written. */
export function productSnapshot(p: ProductView): ProductSnapshot {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: { amount: p.priceAmount, currency: p.priceCurrency },
    categoryId: p.categoryId,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
