// The one place stock is turned into what callers see: available = on hand - reserved.
import type { z } from "zod";
import type { stockSchema } from "./schemas.js";

/** The stored level of one product's stock (the stock_levels row, or a state folded from events). */
export type StockLevel = { onHand: number; reserved: number; version: number };

/** Stock as every API shows it. */
export type StockLevelView = z.infer<typeof stockSchema>;

/** Stock of one product as commands, queries and events hand it out. */
export type StockView = StockLevelView & { productId: number };

/** The level with what is available to reserve. */
export function stockLevelView(level: StockLevel): StockLevelView {
  return { onHand: level.onHand, reserved: level.reserved, available: level.onHand - level.reserved, version: level.version };
}

/** The level of `productId` with what is available to reserve. */
export function stockView(productId: number, level: StockLevel): StockView {
  return { productId, ...stockLevelView(level) };
}
