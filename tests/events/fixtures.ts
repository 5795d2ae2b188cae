// Shared by the feed tests: events appended by hand (to hold a transaction open, or roll it back
// after the append), and the log as committed, read without the feed's horizon.
import type { PrismaClient } from "../../src/db/prisma.js";
import type { NewEvent } from "../../src/events/append.js";
import type { FeedEvent } from "../../src/events/feed.js";
import { type FeedPosition, formatPosition } from "../../src/events/position.js";

/** A valid PostUpdated on post stream `streamId` (no such post needs to exist: the feed does not care), titled `label`. */
export function labelledEvent(streamId: string, label: string): NewEvent {
  const at = new Date().toISOString();
  return {
    streamType: "post",
    streamId,
    type: "PostUpdated",
    data: { id: 0, title: label, content: "feed test", author: { id: 0, username: "feed-test" }, createdAt: at, updatedAt: at },
    actor: "system",
  };
}

/** The label of an event made by labelledEvent. */
export const labelOf = (event: FeedEvent) => (event.type === "PostUpdated" ? event.data.title : undefined);

export type CommittedEvent = { position: string; streamType: string; streamId: string; streamVersion: number };

/**
 * Every committed event, in feed order, read straight from the table (no horizon). Only a true
 * reference once every writer of interest has ended: the feed's own readSince stops at the
 * server-wide horizon, which another database's open transaction can hold anywhere in the middle.
 */
export async function committedEvents(prisma: PrismaClient): Promise<CommittedEvent[]> {
  const rows = await prisma.$queryRaw<
    { txid: string; id: bigint; stream_type: string; stream_id: string; stream_version: number }[]
  >`
    SELECT txid::text AS txid, id, stream_type, stream_id, stream_version FROM events ORDER BY events.txid, events.id`;
  return rows.map((row) => ({
    position: formatPosition({ txid: BigInt(row.txid), id: row.id } satisfies FeedPosition),
    streamType: row.stream_type,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
  }));
}
