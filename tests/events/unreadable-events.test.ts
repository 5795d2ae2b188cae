// A row of the log this build cannot read (a type a newer release writes, during a rolling
// deploy; data that breaks its schema) must not halt the feed: before, every read stopped at it
// and retried it for ever, and no subscriber of the instance got another event.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "../../src/db/prisma.js";
import { appendToStream } from "../../src/events/append.js";
import { EventFeed, type FeedEvent } from "../../src/events/feed.js";
import { formatPosition, parsePosition } from "../../src/events/position.js";
import { headPosition, readSince } from "../../src/events/read.js";
import { InvalidEventError } from "../../src/events/registry.js";
import { capturingLogger } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";
import { labelledEvent as event, labelOf } from "./fixtures.js";

let prisma: PrismaClient;
let feed: EventFeed;
const { logger, lines } = capturingLogger();
beforeAll(async () => {
  const db = await seededDatabase();
  prisma = db.prisma;
  feed = new EventFeed(prisma, db.url, logger, { pollIntervalMs: 50 });
  await feed.start();
});
afterAll(() => feed.stop());

/** Two rows this build cannot read, each written in its own transaction, as another release would. */
async function writeUnreadableRows() {
  await prisma.$executeRaw`
    INSERT INTO events (stream_type, stream_id, stream_version, type, data, metadata)
    VALUES ('product', 'future', 1, 'ProductTeleported', '{"to":"moon"}'::jsonb, '{"actor":"system"}')`;
  await prisma.$executeRaw`
    INSERT INTO events (stream_type, stream_id, stream_version, type, data, metadata)
    VALUES ('post', 'broken', 1, 'PostUpdated', '{"title":42}'::jsonb, '{"actor":"system"}')`;
  const rows = await prisma.$queryRaw<{ txid: string; id: bigint; type: string }[]>`
    SELECT txid::text AS txid, id, type FROM events WHERE stream_id IN ('future', 'broken') ORDER BY events.txid, events.id`;
  return rows.map((row) => ({ type: row.type, position: formatPosition({ txid: BigInt(row.txid), id: row.id }) }));
}

describe("an event this build cannot read", () => {
  it("is passed, once and logged with its position, by the live feed and by a replay, which both go on to the next event", async () => {
    const before = formatPosition(await headPosition(prisma));
    const live: FeedEvent[] = [];
    feed.subscribe({}, { onEvent: (e) => live.push(e) });

    const unreadable = await writeUnreadableRows();
    await prisma.$transaction((tx) => appendToStream(tx, event("after-unreadable", "next")));

    await vi.waitFor(() => expect(live.map(labelOf)).toContain("next"), { timeout: 10_000 });
    expect(live.filter((e) => e.streamId === "future" || e.streamId === "broken")).toEqual([]);
    const passed = lines.filter((line) => line.msg === "event feed passed an event it cannot read");
    expect(passed.map(({ position, type }) => ({ position, type }))).toEqual(unreadable);
    expect(passed.map((line) => (line.err as { message: string }).message)).toEqual([
      expect.stringMatching(/Unknown event type ProductTeleported/),
      expect.stringMatching(/PostUpdated data does not match its schema/),
    ]);

    // A subscriber resuming from before those rows gets the same events, then goes live.
    const replayed: FeedEvent[] = [];
    let wentLive = false;
    feed.subscribe(
      { from: before },
      {
        onEvent: (e) => replayed.push(e),
        onLive: () => {
          wentLive = true;
        },
      },
    );
    await vi.waitFor(() => expect(wentLive).toBe(true), { timeout: 10_000 });
    // (Seed events held back by another file's open transaction may come too: the horizon is server-wide.)
    const ours = (events: FeedEvent[]) => events.filter((e) => ["future", "broken", "after-unreadable"].includes(e.streamId));
    expect(ours(replayed).map(labelOf)).toEqual(["next"]);
    // The live side logged each row once; the replay passes them without logging them again.
    expect(lines.filter((line) => line.msg === "event feed passed an event it cannot read")).toHaveLength(2);

    // Reading the log directly stays strict: readSince names the row it cannot read.
    await expect(readSince(prisma, parsePosition(before, "from"), { limit: 100 })).rejects.toBeInstanceOf(InvalidEventError);
  });
});
