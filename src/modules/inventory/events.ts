// Inventory is event-sourced: one stream per product (streamType "inventory", streamId = product
// id), whose events are the only way stock changes. The stock_levels row is a projection of the
// stream, and applyStockEvent is the one function both the commands and the rebuild fold with.
//
//   StockReceived        goods arrived                onHand += quantity
//   StockAdjusted        count correction, with reason onHand += quantity (signed, non-zero)
//   StockReserved        held for an order            reserved += quantity
//   ReservationReleased  hold cancelled               reserved -= quantity
//   StockShipped         reserved goods left          onHand -= quantity, reserved -= quantity
import { z } from "zod";
import { DomainError } from "../../errors.js";
import { defineEvents } from "../../events/schema.js";
import { int4 } from "../shared/fields.js";
import { type StockEventType, stockEventTypes } from "./movements.js";
import { stockSchema } from "./schemas.js";
import type { StockLevel } from "./stock-view.js";

export const inventoryStream = "inventory";
export { type StockEventType, type StockMovementKind, stockEventTypes } from "./movements.js";

export type StockState = StockLevel;

/** The movement itself: what applyStockEvent folds. */
export type StockMovementData = { productId: number; quantity: number; reason?: string };

/**
 * Data of every stock event: the movement and the stock it left (onHand, reserved, available and
 * the stream version it is), so a subscriber shows the level without a query, and never a newer one.
 */
export const stockEventData = z.strictObject({
  productId: z.number().int(),
  quantity: z.number().int(),
  reason: z.string().optional(),
  ...stockSchema.shape,
});

export type StockEventData = z.infer<typeof stockEventData>;

/** The five stock event types, all on the product's inventory stream. */
export const inventoryEvents = defineEvents(
  inventoryStream,
  Object.fromEntries(Object.values(stockEventTypes).map((type) => [type, stockEventData])) as Record<
    StockEventType,
    typeof stockEventData
  >,
);

export const emptyStock: StockState = { onHand: 0, reserved: 0, version: 0 };

/** The state after one event (version + 1), or InvariantViolated if the event is not allowed. */
export function applyStockEvent(state: StockState, type: string, data: StockMovementData): StockState {
  const q = data.quantity;
  const next = { ...state, version: state.version + 1 };
  switch (type) {
    case "StockReceived":
    case "StockAdjusted":
      next.onHand += q;
      break;
    case "StockReserved":
      next.reserved += q;
      break;
    case "ReservationReleased":
      next.reserved -= q;
      break;
    case "StockShipped":
      next.onHand -= q;
      next.reserved -= q;
      break;
    default:
      throw new DomainError("InvariantViolated", `Unknown inventory event type ${type}.`);
  }
  assertStockInvariants(next, type, data);
  return next;
}

function assertStockInvariants(state: StockState, type: string, data: StockMovementData): void {
  const why =
    state.onHand < 0
      ? `on-hand stock would become ${state.onHand}`
      : state.onHand > int4.max // the stock_levels columns are int4
        ? `on-hand stock would exceed ${int4.max}`
        : state.reserved < 0
          ? `reserved stock would become ${state.reserved}`
          : state.reserved > state.onHand
            ? `reserved stock (${state.reserved}) would exceed on-hand stock (${state.onHand})`
            : undefined;
  if (why) {
    throw new DomainError("InvariantViolated", `${type} of ${data.quantity} for product ${data.productId} refused: ${why}.`);
  }
}
