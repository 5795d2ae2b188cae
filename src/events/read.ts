// Reading the events table in feed order, typed by the registry. See feed.ts for why readers only
// take events below the xmin horizon.
import { Prisma, type PrismaClient } from "../db/prisma.js";
import { type FeedPosition, feedStart, formatPosition } from "./position.js";
import { type EventData, type EventType, InvalidEventError, parseEvent, type StreamType, type StreamTypeOf } from "./registry.js";
import { type EventMetadata, eventMetadataSchema } from "./schema.js";

type FeedEventOf<Type extends EventType> = {
  position: FeedPosition;
  streamType: StreamTypeOf<Type>;
  streamId: string;
  streamVersion: number;
  type: Type;
  data: EventData<Type>;
  metadata: EventMetadata;
  occurredAt: Date;
};

/** An event as readers hand it out: `type` narrows `data` to that type's schema. */
export type FeedEvent = { [Type in EventType]: FeedEventOf<Type> }[EventType];

/** Which events a reader wants; empty means all. */
export type FeedFilter = { streamType?: StreamType; streamIds?: readonly string[] };

/** True when `event` passes `filter`. */
export function matchesFilter(event: FeedEvent, filter: FeedFilter): boolean {
  return (
    (filter.streamType === undefined || event.streamType === filter.streamType) &&
    (filter.streamIds === undefined || filter.streamIds.includes(event.streamId))
  );
}

type EventRow = {
  id: bigint;
  txid: string;
  stream_type: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: unknown;
  metadata: unknown;
  occurred_at: Date;
};

function toFeedEvent(row: EventRow, position: FeedPosition): FeedEvent {
  const where = ` (event at ${formatPosition(position)})`;
  const type = row.type as EventType;
  return {
    position,
    streamType: row.stream_type,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    type,
    data: parseEvent(type, row.stream_type, row.data, where),
    metadata: parseMetadata(row.metadata, where),
    occurredAt: row.occurred_at,
  } as FeedEvent;
}

function parseMetadata(metadata: unknown, where: string): EventMetadata {
  const parsed = eventMetadataSchema.safeParse(metadata);
  if (!parsed.success) throw new InvalidEventError(`Event metadata does not match its schema${where}: ${parsed.error.message}`);
  return parsed.data;
}

/** A row of the log this build cannot read: a type it does not know (written by a newer release), or data that breaks its schema. */
export type UnreadableEvent = { position: FeedPosition; type: string; error: InvalidEventError };

export type FeedPage = {
  /** The page's events this build can read, in feed order. */
  events: FeedEvent[];
  /** The page's rows it cannot read; a reader passes them (logging them) rather than stopping at them. */
  unreadable: UnreadableEvent[];
  /** The position of the page's last row, readable or not: where the next page starts. */
  through: FeedPosition | undefined;
  /** pg_snapshot_xmin of the read: every transaction below it had ended, so every event below it was readable. */
  horizon: bigint;
};

/**
 * Events after `after` in feed order, only from transactions that can no longer be overtaken,
 * and the horizon of that read (rows and horizon come from the one snapshot of one statement).
 */
export async function readPage(
  prisma: PrismaClient,
  after: FeedPosition,
  options: { limit: number; filter?: FeedFilter },
): Promise<FeedPage> {
  const { streamType, streamIds } = options.filter ?? {};
  // ORDER BY events.txid, never a bare txid: that names the text output column, where "1000" sorts
  // before "999", which reordered, repeated and (past a LIMIT) skipped events as xids gained a digit.
  const rows = await prisma.$queryRaw<(Partial<EventRow> & { horizon: string })[]>`
    WITH snapshot AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon)
    SELECT snapshot.horizon::text AS horizon, e.*
    FROM snapshot LEFT JOIN LATERAL (
      SELECT id, txid::text AS txid, stream_type, stream_id, stream_version, type, data, metadata, occurred_at
      FROM events
      WHERE (txid, id) > (${after.txid.toString()}::xid8, ${after.id})
        AND txid < snapshot.horizon
        ${streamType ? Prisma.sql`AND stream_type = ${streamType}` : Prisma.empty}
        ${streamIds ? Prisma.sql`AND stream_id = ANY(${[...streamIds]})` : Prisma.empty}
      ORDER BY events.txid, events.id
      LIMIT ${options.limit}) e ON true
    ORDER BY e.txid::xid8, e.id`;
  const page: FeedPage = { events: [], unreadable: [], through: undefined, horizon: BigInt(rows[0]?.horizon ?? "0") };
  for (const row of rows as EventRow[]) {
    if (row.id == null) continue; // the snapshot's row alone: no events
    const position = positionOf(row);
    try {
      page.events.push(toFeedEvent(row, position));
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
      page.unreadable.push({ position, type: row.type, error });
    }
    page.through = position;
  }
  return page;
}

const positionOf = (row: EventRow): FeedPosition => ({ txid: BigInt(row.txid), id: BigInt(row.id) });

/** How many rows `page` read, readable or not: fewer than its limit means the reader caught up. */
export const rowsRead = (page: FeedPage): number => page.events.length + page.unreadable.length;

/** Events after `after` in feed order, only from transactions that can no longer be overtaken; throws at an unreadable one. */
export async function readSince(
  prisma: PrismaClient,
  after: FeedPosition,
  options: { limit: number; filter?: FeedFilter },
): Promise<FeedEvent[]> {
  const page = await readPage(prisma, after, options);
  if (page.unreadable[0]) throw page.unreadable[0].error;
  return page.events;
}

/**
 * True when committed events past `after` exist that the last read did not return: held back by
 * the horizon then, or readable since. No horizon condition here: an event that crossed the
 * horizon between that read and this check must also be read again, or it waits for the poll.
 */
export async function eventsPending(prisma: PrismaClient, after: FeedPosition): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ pending: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM events WHERE (txid, id) > (${after.txid.toString()}::xid8, ${after.id})) AS pending`;
  return row?.pending ?? false;
}

/** True when an event sits at exactly `position` (positions of this log, as handed out with events). */
export async function isEventPosition(prisma: PrismaClient, position: FeedPosition): Promise<boolean> {
  const [row] = await prisma.$queryRaw<{ found: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM events WHERE txid = ${position.txid.toString()}::xid8 AND id = ${position.id}) AS found`;
  return row?.found ?? false;
}

/** The position of the newest event a reader may see now (feedStart when the log is empty). */
export async function headPosition(prisma: PrismaClient): Promise<FeedPosition> {
  const [row] = await prisma.$queryRaw<{ txid: string; id: bigint }[]>`
    SELECT txid::text AS txid, id FROM events
    WHERE txid < pg_snapshot_xmin(pg_current_snapshot())
    ORDER BY events.txid DESC, events.id DESC LIMIT 1`;
  return row ? { txid: BigInt(row.txid), id: BigInt(row.id) } : feedStart;
}
