import type { Actor } from "../../auth/actor.js";
import { Prisma } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { actorLabel, appendEventIf, type EventActor, lockStream, type NewEvent, streamLockedCte } from "../../events/append.js";
import { authorize } from "../shared/authorize.js";
import type { CommandRunner, Statements } from "../shared/command-runner.js";
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

type StockRow = { on_hand: number; reserved: number; version: number };

const stockState = (row: StockRow): StockState => ({ onHand: row.on_hand, reserved: row.reserved, version: row.version });

/** The level of `productId` as last committed, without a lock; undefined when it has no row yet. */
async function readStock(db: Statements, productId: number): Promise<StockState | undefined> {
  const [row] = await db.$queryRaw<
    StockRow[]
  >`SELECT on_hand, reserved, version FROM stock_levels WHERE product_id = ${productId}`;
  return row && stockState(row);
}

// The stream's lock, then the row lock on the projection row, in one statement (the join makes the
// row wait for the stream's lock, which assigns no transaction id: see lockStream). Writers of
// one product take turns here, so each reads the state the previous one committed.
async function lockStock(tx: Prisma.TransactionClient, productId: number): Promise<StockState> {
  const select = () =>
    tx.$queryRaw<StockRow[]>`
      WITH ${streamLockedCte(inventoryStream, String(productId))}
      SELECT on_hand, reserved, version FROM stock_levels, stream_locked WHERE product_id = ${productId}
      FOR UPDATE OF stock_levels`;
  let [row] = await select();
  if (!row) {
    const product = await tx.product.findUnique({ where: { id: productId }, select: { id: true } });
    if (!product) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
    // With no row to join, the statement may not have taken the stream's lock: it must precede this first write.
    await lockStream(tx, inventoryStream, String(productId));
    await tx.$executeRaw`INSERT INTO stock_levels (product_id, updated_at) VALUES (${productId}, now()) ON CONFLICT DO NOTHING`;
    [row] = await select();
  }
  if (!row) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
  return stockState(row);
}

// Tries of the one-statement write before the locked transaction: another writer moving the
// level between a try's read and its write makes it miss (and write nothing).
const optimisticAttempts = 2;

type PlannedMovement = { event: NewEvent; next: StockState; view: StockView };

/** `movement` applied to `current`: Conflict on a stale expectedVersion, InvariantViolated if stock would break. */
function planMovement(movement: StockMovement, current: StockState, actor: EventActor): PlannedMovement {
  const { productId, kind, quantity, reason, expectedVersion } = movement;
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    throw new DomainError("Conflict", `Stock of product ${productId} is at version ${current.version}, not ${expectedVersion}.`);
  }
  const type = stockEventTypes[kind];
  const data = { productId, quantity, ...(reason ? { reason } : {}) };
  const next = applyStockEvent(current, type, data);
  const view = stockView(productId, next);
  const event: NewEvent = {
    streamType: inventoryStream,
    streamId: String(productId),
    type,
    data: { ...data, ...view },
    actor,
    correlationId: movement.correlationId,
    idempotencyKey: movement.idempotencyKey,
  };
  return { event, next, view };
}

/**
 * Writes `planned` in one statement (the stream's lock, the projection row, the event) if the
 * row is still at the version it was planned from; false when another writer moved it first
 * (nothing written).
 */
async function writeMovement(db: Statements, { event, next, view }: PlannedMovement, from: StockState): Promise<boolean> {
  const position = await appendEventIf(
    db,
    event,
    next.version,
    Prisma.sql`
      UPDATE stock_levels SET on_hand = ${next.onHand}, reserved = ${next.reserved}, version = ${next.version}, updated_at = now()
      FROM stream_locked WHERE product_id = ${view.productId} AND version = ${from.version}
      RETURNING version`,
  );
  return position !== undefined;
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
      if (!idempotencyKey) {
        // Planned from the level as last committed and written in one statement if nobody moved it
        // meanwhile: the stream's lock is held for that statement only, never across a round trip
        // of this process (which may be busy fanning events out). A refusal (Conflict,
        // InvariantViolated) is as of that committed level, as if the command had run just then.
        const view = await runner.autocommit(async (db) => {
          for (let attempt = 0; attempt < optimisticAttempts; attempt++) {
            const current = await readStock(db, productId);
            if (!current) return undefined; // no row yet: the transaction below makes it, or says NotFound
            const planned = planMovement(movement, current, actor);
            if (await writeMovement(db, planned, current)) return planned.view;
          }
          return undefined;
        });
        if (view) return view;
      }
      // An idempotency key (checked and stored in the same transaction), no row yet, or other
      // writers came first every time: plan under the stream's lock and the row lock, then the
      // same write. Writers queue for those locks in turn, so this one's turn comes.
      const idempotency = idempotencyKey
        ? {
            scope: actorLabel(actor),
            key: idempotencyKey,
            request: ["moveStock", productId, kind, quantity, reason ?? null, expectedVersion ?? null],
          }
        : undefined;
      return runner.transaction(
        async (tx) => {
          const current = await lockStock(tx, productId);
          const planned = planMovement(movement, current, actor);
          if (!(await writeMovement(tx, planned, current)))
            throw new Error(`Stock of product ${productId} moved under its lock.`);
          return planned.view;
        },
        { idempotency },
      );
    },
  };
}

export type InventoryCommands = ReturnType<typeof createInventoryCommands>;
