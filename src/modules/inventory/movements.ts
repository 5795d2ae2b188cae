// The five ways stock moves, and the event each one appends: declared once, for the commands,
// the events and the schemas that validate and document them.
import { z } from "zod";

export const stockEventTypes = {
  receive: "StockReceived",
  adjust: "StockAdjusted",
  reserve: "StockReserved",
  release: "ReservationReleased",
  ship: "StockShipped",
} as const;

export type StockMovementKind = keyof typeof stockEventTypes;
export type StockEventType = (typeof stockEventTypes)[StockMovementKind];

/** The movement kinds and the event types, as schemas for whoever validates or documents them. */
export const stockMovementKindSchema = z.enum(Object.keys(stockEventTypes) as [StockMovementKind, ...StockMovementKind[]]);
export const stockEventTypeSchema = z.enum(stockEventTypes);
