// The event feed: every server instance tails the one `events` table and hands new events, in
// feed order, to its subscribers (WebSocket topics, GraphQL subscriptions).
//
// Why (txid, id) and the xmin horizon: an identity id is taken at INSERT, not at COMMIT, so id 10
// can commit after id 11 and a reader that already passed 11 would skip 10 forever. Each event
// stores its writer's pg_current_xact_id(); readers order by (txid, id) and only take rows whose
// transaction is older than the oldest one still running (pg_snapshot_xmin). Everything below that
// horizon is finished, so nothing can appear later behind a position a reader has passed. Writers
// never wait on each other for it (unlike a global append lock); the price is that a long-running
// write transaction anywhere on the server delays (never loses) delivery until it ends.
//
// Retention: the log is the inventory's store and is kept. A deployment that must trim it can
// archive non-inventory events older than the oldest resume position it promises (e.g. 30 days)
// to cold storage with `DELETE … RETURNING` in batches; inventory streams are never trimmed.
import { NotificationListener } from "../db/notifications.js";
import { Prisma, type PrismaClient } from "../db/prisma.js";
import type { Logger } from "../logger.js";
import { feedChannel } from "./append.js";
import { type FeedPosition, feedStart } from "./position.js";

export type FeedEvent = {
  position: FeedPosition;
  streamType: string;
  streamId: string;
  streamVersion: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurredAt: Date;
};

/** Which events a reader wants; empty means all. */
export type FeedFilter = { streamType?: string; streamIds?: string[] };

type EventRow = {
  id: bigint;
  txid: string;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
  occurred_at: Date;
};

/** Events after `after` in feed order, only from transactions that can no longer be overtaken. */
export async function readSince(
  prisma: PrismaClient,
  after: FeedPosition,
  options: { limit: number; filter?: FeedFilter },
): Promise<FeedEvent[]> {
  const { streamType, streamIds } = options.filter ?? {};
  const rows = await prisma.$queryRaw<EventRow[]>`
    SELECT id, txid::text AS txid, stream_type, stream_id, stream_version, type, data, metadata, occurred_at
    FROM events
    WHERE (txid, id) > (${after.txid.toString()}::xid8, ${after.id})
      AND txid < pg_snapshot_xmin(pg_current_snapshot())
      ${streamType ? Prisma.sql`AND stream_type = ${streamType}` : Prisma.empty}
      ${streamIds ? Prisma.sql`AND stream_id = ANY(${streamIds})` : Prisma.empty}
    ORDER BY txid, id
    LIMIT ${options.limit}`;
  return rows.map((row) => ({
    position: { txid: BigInt(row.txid), id: BigInt(row.id) },
    streamType: row.stream_type,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    occurredAt: row.occurred_at,
  }));
}

/**
 * True when committed events past `after` exist that the last read did not return: held back by
 * the horizon then, or readable since. No horizon condition here: an event that crossed the
 * horizon between that read and this check must also be read again, or it waits for the poll.
 */
async function eventsPending(prisma: PrismaClient, after: FeedPosition): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ pending: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM events WHERE (txid, id) > (${after.txid.toString()}::xid8, ${after.id})) AS pending`;
  return row?.pending ?? false;
}

/** The position of the newest event a reader may see now (feedStart when the log is empty). */
export async function headPosition(prisma: PrismaClient): Promise<FeedPosition> {
  const [row] = await prisma.$queryRaw<{ txid: string; id: bigint }[]>`
    SELECT txid::text AS txid, id FROM events
    WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY txid DESC, id DESC LIMIT 1`;
  return row ? { txid: BigInt(row.txid), id: BigInt(row.id) } : feedStart;
}

const minHorizonRetryMs = 5;
const maxHorizonRetryMs = 250;

export type FeedOptions = { pollIntervalMs?: number; batchSize?: number; reconnectDelayMs?: number };

/** Tails the events table for one process: woken by LISTEN/NOTIFY, and polling as a safety net. */
export class EventFeed {
  private cursor: FeedPosition = feedStart;
  private readonly subscribers = new Set<(event: FeedEvent) => void>();
  private readonly listener: NotificationListener;
  private pollTimer: NodeJS.Timeout | undefined;
  private horizonTimer: NodeJS.Timeout | undefined;
  private horizonRetryMs = minHorizonRetryMs;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private stopped = false;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly prisma: PrismaClient,
    databaseUrl: string,
    private readonly logger: Logger,
    options: FeedOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    // A dropped LISTEN connection loses notifications silently; polling covers the gap while it reconnects.
    const wake = () => this.wake();
    this.listener = new NotificationListener(
      databaseUrl,
      feedChannel,
      { onNotification: wake, onListening: wake },
      logger,
      options.reconnectDelayMs ?? 1000,
    );
  }

  /** Starts delivering events after `from` (default: the current head, i.e. only new events). */
  async start(from?: FeedPosition): Promise<void> {
    this.cursor = from ?? (await headPosition(this.prisma));
    await this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** The position of the last event delivered. */
  get position(): FeedPosition {
    return this.cursor;
  }

  /** Calls `handler` for every new event, in feed order; returns the unsubscribe function. */
  subscribe(handler: (event: FeedEvent) => void): () => void {
    this.subscribers.add(handler);
    return () => this.subscribers.delete(handler);
  }

  /** Stops listening and polling; events already being delivered finish first. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.horizonTimer);
    await this.reading;
    await this.listener.stop();
  }

  /** Reads until caught up; wake-ups during a read coalesce into one more read. */
  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.drain()
      .catch((error) => this.logger.error({ err: error }, "event feed read failed; retrying on next wake"))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain && !this.stopped) {
          this.readAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await readSince(this.prisma, this.cursor, { limit: this.batchSize });
      for (const event of batch) {
        this.cursor = event.position;
        for (const deliver of this.subscribers) {
          try {
            deliver(event);
          } catch (error) {
            this.logger.error({ err: error, type: event.type }, "event subscriber failed");
          }
        }
      }
      if (this.stopped) return;
      if (batch.length < this.batchSize) {
        // A NOTIFY can arrive while an older transaction still holds the horizon back; nothing
        // else would wake us for those events before the next poll, so look again shortly.
        if (await eventsPending(this.prisma, this.cursor)) this.retrySoon();
        else this.horizonRetryMs = minHorizonRetryMs;
        return;
      }
    }
  }

  private retrySoon(): void {
    clearTimeout(this.horizonTimer);
    this.horizonTimer = setTimeout(() => this.wake(), this.horizonRetryMs);
    this.horizonTimer.unref();
    this.horizonRetryMs = Math.min(this.horizonRetryMs * 2, maxHorizonRetryMs, this.pollIntervalMs);
  }
}
