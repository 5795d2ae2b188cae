import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "../../src/db/prisma.js";
import { appendToStream, type NewEvent } from "../../src/events/append.js";
import { EventFeed, type FeedEvent, type FeedOptions, readSince } from "../../src/events/feed.js";
import { feedStart, formatPosition, isAfter } from "../../src/events/position.js";
import { createLogger } from "../../src/logger.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
let url: string;
const feeds: EventFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
});

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase({ poolSize: 12 }));
});

const event = (streamId: string, label: string): NewEvent => ({
  streamType: "test",
  streamId,
  type: "TestHappened",
  data: { label },
  actor: "system",
});

/**
 * A started feed reader and the test events it delivered, in delivery order. (Other events, like
 * the seed's, may still be arriving: the horizon is server-wide, so another test file's open
 * transaction can hold them back past the reader's start.)
 */
async function startReader(options: FeedOptions = { pollIntervalMs: 50 }) {
  const feed = new EventFeed(prisma, url, createLogger({ logLevel: "silent" }), options);
  feeds.push(feed);
  const delivered: FeedEvent[] = [];
  feed.subscribe((e) => {
    if (e.streamType === "test") delivered.push(e);
  });
  await feed.start();
  // Labels of the events on streams starting with `prefix`: events of an earlier test can still
  // be arriving while the next one runs, for the reason above.
  const labels = (prefix: string) => delivered.filter((e) => e.streamId.startsWith(prefix)).map((e) => e.data.label);
  return { feed, delivered, labels };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the event feed", () => {
  it("never skips an event that committed after a later-started one (the ordering hazard)", async () => {
    const reader = await startReader();
    let releaseA = () => {};
    let appendedA = () => {};
    const gate = new Promise<void>((resolve) => {
      releaseA = resolve;
    });
    const aAppended = new Promise<void>((resolve) => {
      appendedA = resolve;
    });
    // A appends first but stays open; B appends after it and commits first.
    const txA = prisma.$transaction(
      async (tx) => {
        await appendToStream(tx, event("hazard-a", "A"));
        appendedA();
        await gate;
      },
      { timeout: 30_000 },
    );
    try {
      await aAppended;
      await prisma.$transaction((tx) => appendToStream(tx, event("hazard-b", "B")));
      // A reader reading now must not hand out B yet: that would put A behind a position already passed.
      await sleep(300);
      expect(reader.labels("hazard-")).toEqual([]);
    } finally {
      releaseA();
      await txA;
    }
    await vi.waitFor(() => expect(reader.labels("hazard-")).toEqual(["A", "B"]));
    // A rolled-back append is never delivered and does not hold the feed back.
    await prisma
      .$transaction(async (tx) => {
        await appendToStream(tx, event("hazard-c", "C"));
        throw new Error("abort");
      })
      .catch(() => undefined);
    await prisma.$transaction((tx) => appendToStream(tx, event("hazard-d", "D")));
    await vi.waitFor(() => expect(reader.labels("hazard-")).toEqual(["A", "B", "D"]));
  });

  it("delivers every committed event exactly once, in position order, to every reader, under random concurrent load", async () => {
    const readers = [await startReader(), await startReader({ pollIntervalMs: 200 })];
    const loadStreams = ["load-0", "load-1", "load-2", "load-3", "load-4"];
    let counter = 0;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      await sleep(writer);
      for (let i = 0; i < 30; i++) {
        const rollBack = Math.random() < 0.15;
        await prisma
          .$transaction(
            async (tx) => {
              // 1-3 events on random streams, taken in a fixed order as real multi-stream commands must.
              const streams = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () =>
                Math.floor(Math.random() * 5),
              ).sort();
              for (const [k, stream] of streams.entries()) {
                await appendToStream(tx, event(`load-${stream}`, `w${writer}-${i}-${k}-${counter++}`));
                await sleep(Math.random() * 8);
              }
              if (rollBack) throw new Error("roll back on purpose");
            },
            { timeout: 30_000 },
          )
          .catch((error: Error) => {
            if (error.message !== "roll back on purpose") throw error;
          });
      }
    });
    await Promise.all(writers);

    const committed = await readSince(prisma, feedStart, {
      limit: 10_000,
      filter: { streamType: "test", streamIds: loadStreams },
    });
    expect(committed.length).toBeGreaterThan(200);
    for (const reader of readers) {
      const loadEvents = () => reader.delivered.filter((e) => loadStreams.includes(e.streamId));
      await vi.waitFor(() => expect(loadEvents().length).toBe(committed.length), { timeout: 10_000 });
      expect(loadEvents().map((e) => formatPosition(e.position))).toEqual(committed.map((e) => formatPosition(e.position)));
      // Strictly increasing: a reader never meets an event behind one it already delivered.
      for (let i = 1; i < reader.delivered.length; i++) {
        expect(isAfter(reader.delivered[i]?.position ?? feedStart, reader.delivered[i - 1]?.position ?? feedStart)).toBe(true);
      }
    }
    // Per stream, versions run 1, 2, 3 … with no gap left by the rolled-back transactions.
    const byStream = new Map<string, number[]>();
    for (const e of committed) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const versions of byStream.values()) expect(versions.sort((a, b) => a - b)).toEqual(versions.map((_, i) => i + 1));
  });

  it("is woken by NOTIFY without waiting for its poll", async () => {
    const reader = await startReader({ pollIntervalMs: 60_000 });
    await prisma.$transaction((tx) => appendToStream(tx, event("notify", "N")));
    await vi.waitFor(() => expect(reader.labels("notify")).toEqual(["N"]), { timeout: 5_000 });
  });

  it("keeps delivering when its LISTEN connection is killed", async () => {
    const reader = await startReader({ pollIntervalMs: 200, reconnectDelayMs: 100 });
    const killed = await prisma.$queryRaw<{ pid: number }[]>`
      SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`;
    expect(killed.length).toBeGreaterThan(0);
    await prisma.$queryRaw`SELECT pg_terminate_backend(pid)::text FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()`;
    await prisma.$transaction((tx) => appendToStream(tx, event("after-kill", "K1")));
    await vi.waitFor(() => expect(reader.labels("after-kill")).toEqual(["K1"]), { timeout: 5_000 });
    // And NOTIFY works again once it has reconnected.
    await vi.waitFor(
      async () => {
        const listening = await prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`;
        expect(Number(listening[0]?.n)).toBeGreaterThan(0);
      },
      { timeout: 5_000 },
    );
  });

  it("serves resumes from a position, optionally filtered by stream", async () => {
    const first = await readSince(prisma, feedStart, { limit: 1 });
    const after = first[0]?.position ?? feedStart;
    const rest = await readSince(prisma, after, { limit: 10_000 });
    expect(rest.every((e) => isAfter(e.position, after))).toBe(true);
    // Waits, as a reader would, until other test files' open transactions no longer hold the horizon.
    await vi.waitFor(async () => {
      const onlyInventory = await readSince(prisma, feedStart, { limit: 10_000, filter: { streamType: "inventory" } });
      expect(onlyInventory.length).toBe(21); // the seed's opening stock
    });
    const oneStream = await readSince(prisma, feedStart, { limit: 10, filter: { streamType: "test", streamIds: ["notify"] } });
    expect(oneStream.map((e) => e.data.label)).toEqual(["N"]);
  });
});
