import pg from "pg";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { PrismaClient } from "../../src/db/prisma.js";
import { appendToStream } from "../../src/events/append.js";
import { EventFeed, type FeedEvent, type FeedOptions } from "../../src/events/feed.js";
import { feedStart, formatPosition, isAfter } from "../../src/events/position.js";
import { readSince } from "../../src/events/read.js";
import { createLogger } from "../../src/logger.js";
import { seededDatabase } from "../helpers/seeded.js";
import { committedEvents, labelledEvent as event, labelOf } from "./fixtures.js";

let prisma: PrismaClient;
let url: string;
const feeds: EventFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
});

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase({ poolSize: 12 }));
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
  await feed.start();
  feed.subscribe(
    {},
    {
      onEvent: (e) => {
        if (labelOf(e) !== undefined) delivered.push(e);
      },
    },
  );
  // Labels of the events on streams starting with `prefix`: events of an earlier test can still
  // be arriving while the next one runs, for the reason above.
  const labels = (prefix: string) => delivered.filter((e) => e.streamId.startsWith(prefix)).map(labelOf);
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
    // Other files' transactions can hold the server-wide horizon for a while: wait as a reader would.
    await vi.waitFor(() => expect(reader.labels("hazard-")).toEqual(["A", "B"]), { timeout: 30_000 });
    // A rolled-back append is never delivered and does not hold the feed back.
    await prisma
      .$transaction(async (tx) => {
        await appendToStream(tx, event("hazard-c", "C"));
        throw new Error("abort");
      })
      .catch(() => undefined);
    await prisma.$transaction((tx) => appendToStream(tx, event("hazard-d", "D")));
    await vi.waitFor(() => expect(reader.labels("hazard-")).toEqual(["A", "B", "D"]), { timeout: 30_000 });
  });

  /** 8 writers, 30 transactions each, of 1-3 events on random streams; about 15% roll back after appending. */
  async function randomLoad(streams: string[], onProgress: (transactions: number) => Promise<void> = async () => {}) {
    let counter = 0;
    let transactions = 0;
    const writers = Array.from({ length: 8 }, async (_, writer) => {
      await sleep(writer);
      for (let i = 0; i < 30; i++) {
        const rollBack = Math.random() < 0.15;
        await prisma
          .$transaction(
            async (tx) => {
              // 1-3 events on random streams, taken in a fixed order as real multi-stream commands must.
              const picked = Array.from({ length: 1 + Math.floor(Math.random() * 3) }, () =>
                Math.floor(Math.random() * streams.length),
              ).sort();
              for (const [k, stream] of picked.entries()) {
                await appendToStream(tx, event(streams[stream] ?? "", `w${writer}-${i}-${k}-${counter++}`));
                await sleep(Math.random() * 8);
              }
              if (rollBack) throw new Error("roll back on purpose");
            },
            { timeout: 30_000 },
          )
          .catch((error: Error) => {
            if (error.message !== "roll back on purpose") throw error;
          });
        await onProgress(++transactions);
      }
    });
    await Promise.all(writers);
  }

  /** Every reader delivers exactly the committed events of `streams`, in feed order; versions run 1, 2, 3 … per stream. */
  async function expectExactDelivery(readers: Awaited<ReturnType<typeof startReader>>[], streams: string[]) {
    // The reference: every committed row, read without the horizon (all writers have ended).
    const committed = (await committedEvents(prisma)).filter((e) => e.streamType === "post" && streams.includes(e.streamId));
    expect(committed.length).toBeGreaterThan(200);
    for (const reader of readers) {
      const loadEvents = () => reader.delivered.filter((e) => streams.includes(e.streamId));
      await vi.waitFor(() => expect(loadEvents().length).toBe(committed.length), { timeout: 30_000 });
      expect(loadEvents().map((e) => formatPosition(e.position))).toEqual(committed.map((e) => e.position));
      // Strictly increasing: a reader never meets an event behind one it already delivered.
      for (let i = 1; i < reader.delivered.length; i++) {
        expect(isAfter(reader.delivered[i]?.position ?? feedStart, reader.delivered[i - 1]?.position ?? feedStart)).toBe(true);
      }
    }
    // Per stream, versions run 1, 2, 3 … with no gap left by the rolled-back transactions.
    const byStream = new Map<string, number[]>();
    for (const e of committed) byStream.set(e.streamId, [...(byStream.get(e.streamId) ?? []), e.streamVersion]);
    for (const versions of byStream.values()) expect(versions.sort((a, b) => a - b)).toEqual(versions.map((_, i) => i + 1));
  }

  it("delivers every committed event exactly once, in position order, to every reader, under random concurrent load", async () => {
    const readers = [await startReader(), await startReader({ pollIntervalMs: 200 })];
    const streams = ["load-0", "load-1", "load-2", "load-3", "load-4"];
    await randomLoad(streams);
    await expectExactDelivery(readers, streams);
  });

  // The flake of issue 10 ("…75, 78, 79"): the test's reference was readSince(feedStart), which
  // stops at the server-wide horizon. Another file's transaction, open across the end of the load,
  // held it between this load's transactions; as a transaction's xid is taken at its first append
  // and stream versions in lock order, versions 76-77 sat above it while 78-79 sat below. Here
  // another database's transaction does that on purpose.
  it("holds back, then delivers exactly once, what another database's open transaction keeps behind the horizon", async () => {
    const readers = [await startReader(), await startReader({ pollIntervalMs: 200 })];
    const streams = ["held-0", "held-1", "held-2", "held-3", "held-4"];
    const other = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
    await other.connect();
    let held: bigint | undefined;
    try {
      await randomLoad(streams, async (transactions) => {
        if (transactions !== 60) return;
        await other.query("BEGIN");
        const { rows } = await other.query<{ xid: string }>("SELECT pg_current_xact_id()::text AS xid");
        held = BigInt(rows[0]?.xid ?? "0");
      });
      const committed = (await committedEvents(prisma)).filter((e) => e.streamType === "post" && streams.includes(e.streamId));
      const behind = committed.filter((e) => BigInt(e.position.split("-")[0] ?? "0") > (held ?? 0n));
      expect(behind.length).toBeGreaterThan(0);
      // Readers stop at the horizon: nothing at or above the held transaction is handed out yet.
      await sleep(300);
      for (const reader of readers) {
        expect(reader.delivered.filter((e) => e.position.txid > (held ?? 0n) && streams.includes(e.streamId))).toEqual([]);
      }
    } finally {
      await other.query("COMMIT").catch(() => undefined);
      await other.end();
    }
    await expectExactDelivery(readers, streams);
  });

  it("shows why a read below the horizon is no reference for 'all committed': versions 1 and 2 of a stream can sit on either side of it", async () => {
    // T_old takes its xid at its first append (stream X), another database's transaction then
    // takes a later xid and stays open, T_new appends Y v1 and commits, T_old appends Y v2 and commits.
    const other = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
    await other.connect();
    let releaseOld = () => {};
    let oldStarted = () => {};
    const gate = new Promise<void>((resolve) => {
      releaseOld = resolve;
    });
    const started = new Promise<void>((resolve) => {
      oldStarted = resolve;
    });
    const tOld = prisma.$transaction(
      async (tx) => {
        await appendToStream(tx, event("mechanism-x", "old-x"));
        oldStarted();
        await gate;
        await appendToStream(tx, event("mechanism-y", "old-y"));
      },
      { timeout: 30_000 },
    );
    const streams = { streamType: "post" as const, streamIds: ["mechanism-x", "mechanism-y"] };
    try {
      await started;
      await other.query("BEGIN");
      await other.query("SELECT pg_current_xact_id()");
      await prisma.$transaction((tx) => appendToStream(tx, event("mechanism-y", "new-y")));
      releaseOld();
      await tOld;
      // While the other database's transaction is open, the readable part of stream Y is version 2
      // alone (once any older transaction elsewhere on the server has ended).
      await vi.waitFor(
        async () => {
          const readable = await readSince(prisma, feedStart, { limit: 100, filter: streams });
          expect(readable.map((e) => [labelOf(e), e.streamVersion])).toEqual([
            ["old-x", 1],
            ["old-y", 2],
          ]);
        },
        { timeout: 30_000 },
      );
    } finally {
      releaseOld();
      await other.query("COMMIT").catch(() => undefined);
      await other.end();
    }
    // Once it ends, everything is readable, in position order: T_old's events first (its xid is older).
    await vi.waitFor(
      async () => {
        const all = await readSince(prisma, feedStart, { limit: 100, filter: streams });
        expect(all.map((e) => [labelOf(e), e.streamVersion])).toEqual([
          ["old-x", 1],
          ["old-y", 2],
          ["new-y", 1],
        ]);
      },
      { timeout: 30_000 },
    );
  });

  it("orders by transaction id as a number: across a digit boundary (9 → 10) nothing is reordered, repeated or skipped", async () => {
    // Two long-finished transactions whose ids differ in length: as text, "10" sorts before "9".
    for (const [txid, label] of [
      ["9", "nine"],
      ["10", "ten"],
    ] as const) {
      const { data } = event("digits", label);
      await prisma.$executeRaw`
        INSERT INTO events (txid, stream_type, stream_id, stream_version, type, data, metadata)
        VALUES (${txid}::xid8, 'post', 'digits', ${Number(txid)}, 'PostUpdated', ${JSON.stringify(data)}::jsonb, '{"actor":"system"}')`;
    }
    const first = await readSince(prisma, feedStart, { limit: 1 });
    expect(first.map(labelOf)).toEqual(["nine"]);
    const next = await readSince(prisma, first[0]?.position ?? feedStart, { limit: 1 });
    expect(next.map(labelOf)).toEqual(["ten"]);
    // A feed reading the whole log in small batches hands out every event once, in increasing order.
    const feed = new EventFeed(prisma, url, createLogger({ logLevel: "silent" }), { batchSize: 2, pollIntervalMs: 50 });
    feeds.push(feed);
    const delivered: string[] = [];
    await feed.start(feedStart);
    feed.subscribe({}, { onEvent: (e) => delivered.push(formatPosition(e.position)) });
    const committed = (await committedEvents(prisma)).map((e) => e.position);
    await vi.waitFor(() => expect(delivered.length).toBeGreaterThanOrEqual(committed.length), { timeout: 30_000 });
    expect(delivered.slice(0, committed.length)).toEqual(committed);
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
    const oneStream = await readSince(prisma, feedStart, { limit: 10, filter: { streamType: "post", streamIds: ["notify"] } });
    expect(oneStream.map(labelOf)).toEqual(["N"]);
  });
});
