import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { applyStockEvent, emptyStock, inventoryStream, type StockMovementData, type StockState } from "./events.js";

export type StockDifference = { productId: number; projected: StockState | null; fromEvents: StockState };

type StreamRow = { stream_id: string; type: string; data: StockMovementData };

/** Folds the inventory streams (all, or one product's) into stock states. */
async function replay(db: Pick<PrismaClient, "$queryRaw">, productId?: number): Promise<Map<number, StockState>> {
  const oneStream = productId === undefined ? Prisma.empty : Prisma.sql`AND stream_id = ${String(productId)}`;
  const rows = await db.$queryRaw<StreamRow[]>`
    SELECT stream_id, type, data FROM events
    WHERE stream_type = ${inventoryStream} ${oneStream}
    ORDER BY stream_id, stream_version`;
  const states = new Map<number, StockState>();
  for (const row of rows) {
    const id = Number(row.stream_id);
    states.set(id, applyStockEvent(states.get(id) ?? emptyStock, row.type, row.data));
  }
  return states;
}

const same = (a: StockState, b: StockState) => a.onHand === b.onHand && a.reserved === b.reserved && a.version === b.version;

/**
 * Recomputes every product's stock from its events and compares it with stock_levels. With `fix`,
 * each differing row is rewritten under its row lock, replayed again there, so a writer that
 * committed in between is never overwritten. Streams of deleted products are ignored.
 */
export async function rebuildStockLevels(prisma: PrismaClient, options: { fix: boolean }): Promise<StockDifference[]> {
  const [fromEvents, levels, products] = await Promise.all([
    replay(prisma),
    prisma.stockLevel.findMany(),
    prisma.product.findMany({ select: { id: true }, orderBy: { id: "asc" } }),
  ]);
  const projected = new Map(levels.map((l) => [l.productId, { onHand: l.onHand, reserved: l.reserved, version: l.version }]));
  const differences: StockDifference[] = [];
  for (const { id: productId } of products) {
    const expected = fromEvents.get(productId) ?? emptyStock;
    const actual = projected.get(productId) ?? null;
    if (!actual || !same(actual, expected)) differences.push({ productId, projected: actual, fromEvents: expected });
  }
  if (options.fix) {
    for (const { productId } of differences) {
      await prisma.$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO stock_levels (product_id, updated_at) VALUES (${productId}, now()) ON CONFLICT DO NOTHING`;
        await tx.$executeRaw`SELECT 1 FROM stock_levels WHERE product_id = ${productId} FOR UPDATE`;
        const state = (await replay(tx, productId)).get(productId) ?? emptyStock;
        await tx.stockLevel.update({ where: { productId }, data: state });
      });
    }
  }
  return differences;
}
