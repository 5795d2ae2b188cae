import { z } from "zod";
import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { type FeedPosition, formatPosition } from "../../events/position.js";
import { type CursorPage, cursorCodec, keysetPage } from "../shared/cursor.js";
import { int4 } from "../shared/fields.js";
import { inventoryStream } from "./events.js";
import { type StockView, stockView } from "./stock-view.js";

// A history position is the stream version of the last event shown.
const versionPosition = z.object({ v: z.number().int().min(0).max(int4.max) });

export type StockHistoryEntry = {
  streamVersion: number;
  type: string;
  quantity: number;
  reason: string | null;
  actor: string;
  occurredAt: Date;
  /** Feed position, for resuming a live subscription right after this event. */
  position: string;
};

type HistoryRow = {
  stream_version: number;
  type: string;
  data: { quantity: number; reason?: string };
  metadata: { actor?: string };
  occurred_at: Date;
  txid: string;
  id: bigint;
};

/** Read side of inventory. */
export function createInventoryQueries(prisma: PrismaClient) {
  return {
    /** Stock of one product, or NotFound. */
    async stockOf(productId: number): Promise<StockView> {
      const [view] = await this.stockOfMany([productId]);
      if (!view) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
      return view;
    },

    /** Stock of many products in one query, in the order asked; unknown ids are left out. */
    async stockOfMany(productIds: readonly number[]): Promise<StockView[]> {
      const rows = await prisma.stockLevel.findMany({ where: { productId: { in: [...productIds] } } });
      const byId = new Map(rows.map((row) => [row.productId, stockView(row.productId, row)]));
      return productIds.flatMap((id) => byId.get(id) ?? []);
    },

    /** A product's stream oldest first, `limit` events at a time after `cursor` (a page's nextCursor). */
    async stockHistoryPage(productId: number, page: { cursor?: string; limit: number }): Promise<CursorPage<StockHistoryEntry>> {
      const codec = await cursorCodec(prisma);
      const binding = { list: "stockHistory", productId };
      const afterVersion = page.cursor ? codec.decode(page.cursor, binding, versionPosition).v : 0;
      const rows = await this.stockHistory(productId, { afterVersion, limit: page.limit + 1 });
      const sign = codec.encoder(binding);
      return keysetPage(rows, page.limit, (event) => sign({ v: event.streamVersion }));
    },

    /** A page of a product's stream, oldest first, after `afterVersion`. */
    async stockHistory(productId: number, page: { afterVersion: number; limit: number }): Promise<StockHistoryEntry[]> {
      const rows = await prisma.$queryRaw<HistoryRow[]>`
        SELECT stream_version, type, data, metadata, occurred_at, txid::text AS txid, id
        FROM events
        WHERE stream_type = ${inventoryStream} AND stream_id = ${String(productId)} AND stream_version > ${page.afterVersion}
        ORDER BY stream_version
        LIMIT ${page.limit}`;
      return rows.map((row) => {
        const position: FeedPosition = { txid: BigInt(row.txid), id: row.id };
        return {
          streamVersion: row.stream_version,
          type: row.type,
          quantity: row.data.quantity,
          reason: row.data.reason ?? null,
          actor: row.metadata.actor ?? "unknown",
          occurredAt: row.occurred_at,
          position: formatPosition(position),
        };
      });
    },
  };
}

export type InventoryQueries = ReturnType<typeof createInventoryQueries>;
