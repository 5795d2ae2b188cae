import type { Actor } from "../../auth/actor.js";
import type { Prisma } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { actorLabel, appendEvent, lockStream } from "../../events/append.js";
import { authorize } from "../shared/authorize.js";
import type { CommandRunner } from "../shared/command-runner.js";
import { applyStockEvent, inventoryStream, type StockMovementKind, type StockState, stockEventTypes } from "./events.js";
import { type StockView, stockView } from "./stock-view.js";

export type StockMovement = {
  productId: number;
  kind: StockMovementKind;
  /** Positive, except for "adjust" where it is a signed non-zero correction. */
  quantity: number;
  reason?: string;
  /** Refuse the movement (Conflict) unless the stream is still at this version. */
  expectedVersion?: number;
  /** Repeating a movement with the same key returns the first result and changes nothing. */
  idempotencyKey?: string;
  correlationId?: string;
};

function checkMovement(m: StockMovement): void {
  const valid = m.kind === "adjust" ? m.quantity !== 0 : m.quantity > 0;
  if (!Number.isSafeInteger(m.quantity) || !valid) {
    const rule = m.kind === "adjust" ? "a non-zero integer" : "a positive integer";
    throw new DomainError("ValidationFailed", `quantity must be ${rule} for ${m.kind}.`, [
      { detail: `must be ${rule}`, field: ["quantity"] },
    ]);
  }
  if (m.kind === "adjust" && !m.reason?.trim()) {
    throw new DomainError("ValidationFailed", "An adjustment needs a reason.", [
      { detail: "required for adjust", field: ["reason"] },
    ]);
  }
}

type LockedStock = { on_hand: number; reserved: number; version: number };

// Row lock on the projection row: writers of one product take turns here, so each reads the
// state the previous one committed (no lost update) and appends the next stream version.
async function lockStock(tx: Prisma.TransactionClient, productId: number): Promise<StockState> {
  const select = () =>
    tx.$queryRaw<LockedStock[]>`SELECT on_hand, reserved, version FROM stock_levels WHERE product_id = ${productId} FOR UPDATE`;
  let [row] = await select();
  if (!row) {
    const product = await tx.product.findUnique({ where: { id: productId }, select: { id: true } });
    if (!product) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
    await tx.$executeRaw`INSERT INTO stock_levels (product_id, updated_at) VALUES (${productId}, now()) ON CONFLICT DO NOTHING`;
    [row] = await select();
  }
  if (!row) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
  return { onHand: row.on_hand, reserved: row.reserved, version: row.version };
}

/** Write side of inventory: every stock movement is one event plus its projection, in one transaction. */
export function createInventoryCommands(runner: CommandRunner) {
  return {
    /**
     * Records one stock movement (scope inventory:write); returns the new stock. Conflict on a stale
     * expectedVersion, InvariantViolated if stock would break; a repeated idempotency key returns the first result.
     */
    async moveStock(caller: Actor | undefined, movement: StockMovement): Promise<StockView> {
      const actor = authorize(caller, "inventory:write");
      checkMovement(movement);
      const { productId, kind, quantity, reason, expectedVersion, idempotencyKey } = movement;
      const idempotency = idempotencyKey
        ? {
            scope: actorLabel(actor),
            key: idempotencyKey,
            request: ["moveStock", productId, kind, quantity, reason ?? null, expectedVersion ?? null],
          }
        : undefined;
      return runner.transaction(
        async (tx) => {
          // The stream's lock before the row lock, which would assign this transaction its id (see lockStream).
          await lockStream(tx, inventoryStream, String(productId));
          const current = await lockStock(tx, productId);
          if (expectedVersion !== undefined && expectedVersion !== current.version) {
            throw new DomainError(
              "Conflict",
              `Stock of product ${productId} is at version ${current.version}, not ${expectedVersion}.`,
            );
          }
          const type = stockEventTypes[kind];
          const data = { productId, quantity, ...(reason ? { reason } : {}) };
          const next = applyStockEvent(current, type, data);
          const view = stockView(productId, next);
          await appendEvent(
            tx,
            {
              streamType: inventoryStream,
              streamId: String(productId),
              type,
              data: { ...data, ...view },
              actor,
              correlationId: movement.correlationId,
              idempotencyKey,
            },
            next.version,
          );
          await tx.$executeRaw`
            UPDATE stock_levels SET on_hand = ${next.onHand}, reserved = ${next.reserved}, version = ${next.version}, updated_at = now()
            WHERE product_id = ${productId}`;
          return view;
        },
        { idempotency },
      );
    },
  };
}

export type InventoryCommands = ReturnType<typeof createInventoryCommands>;
