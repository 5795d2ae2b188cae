import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { Actor } from "../../src/auth/actor.js";
import { Prisma, type PrismaClient } from "../../src/db/prisma.js";
import { DomainError } from "../../src/errors.js";
import { EventFeed, type FeedEvent, type FeedFilter, type SubscribeOptions } from "../../src/events/feed.js";
import { formatPosition, isAfter, parsePosition } from "../../src/events/position.js";
import { createLogger } from "../../src/logger.js";
import { createModules } from "../../src/modules/index.js";
import { seededDatabase } from "../helpers/seeded.js";
import { type CommittedEvent, committedEvents } from "./fixtures.js";

let prisma: PrismaClient;
let feed: EventFeed;
let staff: Actor;
let customer: Actor;

beforeAll(async () => {
  const db = await seededDatabase({ poolSize: 12 });
  prisma = db.prisma;
  // A small batch, so replays read many pages, filtered ones included.
  feed = new EventFeed(prisma, db.url, createLogger({ logLevel: "silent" }), { batchSize: 7, pollIntervalMs: 100 });
  await feed.start();
  const users = await prisma.user.findMany();
  const actorOf = (role: "staff" | "customer"): Actor => ({
    userId: users.find((u) => u.role === role)?.id,
    clientId: "subscribe-test",
    scopes: new Set(["catalog:write", "inventory:write", "blog:write"]),
    roles: [role],
  });
  staff = actorOf("staff");
  customer = actorOf("customer");
});
afterAll(() => feed.stop());

/** A subscriber that records what it is handed, and when it was told the replay is done. */
function record(options: SubscribeOptions) {
  const events: FeedEvent[] = [];
  const errors: unknown[] = [];
  let liveAfter: number | undefined;
  let liveCalls = 0;
  const subscription = feed.subscribe(options, {
    onEvent: (e) => events.push(e),
    onLive: () => {
      liveCalls++;
      liveAfter = events.length;
    },
    onError: (error) => errors.push(error),
  });
  return { options, events, errors, subscription, live: () => ({ liveAfter, liveCalls }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

/** Failures the load provokes on purpose: each rolls its transaction back. */
function expectedRefusal(error: unknown): void {
  if (error instanceof DomainError && ["InvariantViolated", "Conflict", "PreconditionFailed"].includes(error.code)) return;
  // The same Idempotency-Key on two products at once: the second insert of the key fails after its event was appended.
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return;
  throw error;
}

const matches = (e: CommittedEvent, filter: FeedFilter = {}) =>
  (filter.streamType === undefined || e.streamType === filter.streamType) &&
  (filter.streamIds === undefined || filter.streamIds.includes(e.streamId));

describe("subscribe({ from, filter })", () => {
  it("delivers exactly the committed events after `from`, in order, across the replay/live boundary, under concurrent commands", async () => {
    const inventory = createModules(prisma).inventory.commands;
    const catalog = createModules(prisma).catalog.commands;
    const blog = createModules(prisma).blog.commands;
    const products = (await prisma.product.findMany({ take: 4, orderBy: { id: "asc" } })).map((p) => p.id);
    const posts = (await prisma.post.findMany()).map((p) => p.id);
    const existingSku = (await prisma.product.findFirstOrThrow()).sku;
    const categoryId = (await prisma.category.findFirstOrThrow()).id;

    const newest = async () => (await committedEvents(prisma)).at(-1)?.position;
    const subscribers = [record({ from: await newest() })];
    let operations = 0;
    let key = 0;
    const operationsBy = [
      () =>
        inventory.moveStock(staff, { productId: pick(products), kind: "receive", quantity: 1 + Math.floor(Math.random() * 5) }),
      () => inventory.moveStock(staff, { productId: pick(products), kind: "reserve", quantity: 1_000_000 }),
      () => inventory.moveStock(staff, { productId: pick(products), kind: "receive", quantity: 1, expectedVersion: 0 }),
      () => blog.addComment(pick([staff, customer]), pick(posts), `comment ${operations}`),
      () => catalog.updateProduct(staff, pick(products), { name: `Renamed ${operations}` }),
      () => catalog.updateProduct(staff, pick(products), { name: "stale" }, 0),
      () => catalog.createProduct(staff, { sku: existingSku, name: "dup", priceAmount: 1, priceCurrency: "EUR", categoryId }),
      () => {
        const sharedKey = `shared-${key++}`;
        return Promise.all([
          inventory.moveStock(staff, { productId: products[0] ?? 0, kind: "receive", quantity: 1, idempotencyKey: sharedKey }),
          inventory.moveStock(staff, { productId: products[1] ?? 0, kind: "receive", quantity: 1, idempotencyKey: sharedKey }),
        ]);
      },
    ];
    const writers = Array.from({ length: 6 }, async () => {
      for (let i = 0; i < 25; i++) {
        await pick(operationsBy)().catch(expectedRefusal);
        operations++;
        if (operations === 40) subscribers.push(record({ from: "0-0" }));
        if (operations === 60) subscribers.push(record({ from: await newest(), filter: { streamType: "inventory" } }));
        if (operations === 80) {
          const cursor = feed.position; // live only: exactly what the feed delivers after this
          subscribers.push({ ...record({}), options: { from: formatPosition(cursor) } });
        }
        if (operations === 100) {
          subscribers.push(record({ from: await newest(), filter: { streamType: "post", streamIds: [String(posts[0])] } }));
        }
        await sleep(Math.random() * 3);
      }
    });
    await Promise.all(writers);
    expect(subscribers).toHaveLength(5);
    // The random load may leave a filtered subscriber nothing to see: one write for every filter.
    await blog.addComment(staff, posts[0] ?? 0, "after the load");
    await inventory.moveStock(staff, { productId: products[0] ?? 0, kind: "receive", quantity: 1 });

    const committed = await committedEvents(prisma); // every writer has ended: this is all that committed
    for (const subscriber of subscribers) {
      const from = parsePosition(subscriber.options.from ?? "0-0");
      const expected = committed.filter((e) => isAfter(parsePosition(e.position), from) && matches(e, subscriber.options.filter));
      expect(expected.length).toBeGreaterThan(0);
      await vi.waitFor(() => expect(subscriber.events.length).toBeGreaterThanOrEqual(expected.length), { timeout: 30_000 });
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events.map((e) => formatPosition(e.position))).toEqual(expected.map((e) => e.position));
      expect(subscriber.live().liveCalls).toBe(1);
    }
    // The whole-log subscriber has every committed event, and nothing else (rolled-back appends included).
    const delivered = new Set(subscribers[1]?.events.map((e) => formatPosition(e.position)));
    expect(committed.filter((e) => !delivered.has(e.position))).toEqual([]);
    for (const subscriber of subscribers) subscriber.subscription.close();
  });

  it("drops, when the live side reaches them, the events the replay already handed out", async () => {
    // A feed that hears no NOTIFY (it listens on another database) and polls seldom: the replay
    // below reads past it, so the live side delivers the same event again later.
    const lagging = new EventFeed(prisma, inject("adminDatabaseUrl"), createLogger({ logLevel: "silent" }), {
      pollIntervalMs: 2000,
    });
    await lagging.start();
    try {
      const from = (await committedEvents(prisma)).at(-1)?.position;
      const product = await prisma.product.findFirstOrThrow();
      await createModules(prisma).inventory.commands.moveStock(staff, { productId: product.id, kind: "receive", quantity: 1 });
      const appended = (await committedEvents(prisma)).at(-1)?.position ?? "";
      const events: string[] = [];
      lagging.subscribe({ from }, { onEvent: (e) => events.push(formatPosition(e.position)) });
      // Once the live side has read the event itself, the subscriber still has it once.
      await vi.waitFor(() => expect(formatPosition(lagging.position)).toBe(appended), { timeout: 30_000 });
      await sleep(50);
      expect(events).toEqual([appended]);
    } finally {
      await lagging.stop();
    }
  });

  it("goes live at once without `from`, and hands out typed events", async () => {
    const subscriber = record({ filter: { streamType: "inventory" } });
    expect(subscriber.live()).toEqual({ liveAfter: 0, liveCalls: 1 });
    const product = await prisma.product.findFirstOrThrow();
    const stock = await createModules(prisma).inventory.commands.moveStock(staff, {
      productId: product.id,
      kind: "receive",
      quantity: 2,
    });
    await vi.waitFor(() => expect(subscriber.events.length).toBeGreaterThan(0), { timeout: 30_000 });
    const [event] = subscriber.events;
    expect(event?.type).toBe("StockReceived");
    if (event?.type === "StockReceived") expect(event.data).toEqual({ ...stock, quantity: 2 });
    subscriber.subscription.close();
  });

  it("refuses a malformed `from`, or one that is not a position of this feed, naming `from`", async () => {
    for (const from of ["yesterday", "12-", "99999999999-99999999"]) {
      const subscriber = record({ from });
      await vi.waitFor(() => expect(subscriber.errors).toHaveLength(1));
      const error = subscriber.errors[0] as DomainError;
      expect(error).toBeInstanceOf(DomainError);
      expect(error.code).toBe("ValidationFailed");
      expect(error.errors).toEqual([expect.objectContaining({ parameter: "from" })]);
      expect(error.message).toContain(from);
      expect(subscriber.live().liveCalls).toBe(0);
      expect(subscriber.events).toEqual([]);
    }
  });
});
