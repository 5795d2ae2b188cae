// What the commands announce: each event carries what a subscriber shows without a query, equal
// to what a read right after the command shows.
import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/auth/actor.js";
import type { PrismaClient } from "../../src/db/prisma.js";
import { appendToStream } from "../../src/events/append.js";
import { InvalidEventError } from "../../src/events/registry.js";
import { createModules } from "../../src/modules/index.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
let url: string;
let staff: Actor;

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase());
  const user = await prisma.user.findFirstOrThrow({ where: { role: "staff" } });
  staff = {
    userId: user.id,
    clientId: "events-test",
    scopes: new Set(["catalog:write", "inventory:write", "blog:write"]),
    roles: ["staff"],
  };
});

const lastEvent = async (streamType: string, streamId: number) =>
  prisma.event.findFirstOrThrow({ where: { streamType, streamId: String(streamId) }, orderBy: { streamVersion: "desc" } });

describe("events carry what a subscriber shows", () => {
  it("a stock event carries the movement and the level it left, as the stock read shows it", async () => {
    const product = await prisma.product.findFirstOrThrow({ orderBy: { id: "asc" } });
    const commands = createModules(prisma).inventory.commands;
    await commands.moveStock(staff, { productId: product.id, kind: "receive", quantity: 9 });
    await commands.moveStock(staff, { productId: product.id, kind: "reserve", quantity: 4, reason: "order 7" });
    const stock = await createModules(prisma).inventory.queries.stockOf(product.id);
    const event = await lastEvent("inventory", product.id);
    expect(event.type).toBe("StockReserved");
    expect(event.streamVersion).toBe(stock.version);
    expect(event.data).toEqual({ ...stock, quantity: 4, reason: "order 7" });
    expect(stock.available).toBe(stock.onHand - stock.reserved);
  });

  it("CommentAdded carries the comment as a reader sees it, author name included", async () => {
    const post = await prisma.post.findFirstOrThrow();
    const { id } = await createModules(prisma).blog.commands.addComment(staff, post.id, "Seen by subscribers as is");
    const { items } = await createModules(prisma).blog.queries.listComments(post.id, { afterId: id - 1, limit: 1 });
    const event = await lastEvent("post", post.id);
    expect(event.type).toBe("CommentAdded");
    expect(event.data).toEqual({ ...items[0], createdAt: items[0]?.createdAt.toISOString() });
    expect(event.data).toMatchObject({ author: { username: "sam-staff" } });
  });

  it("product events carry the product as a reader sees it, without stock", async () => {
    const category = await prisma.category.findFirstOrThrow();
    const commands = createModules(prisma).catalog.commands;
    const created = await commands.createProduct(staff, {
      sku: "EVT-PRD-01",
      name: "Event product",
      description: "Announced whole",
      priceAmount: 1234,
      priceCurrency: "EUR",
      categoryId: category.id,
    });
    await commands.updateProduct(staff, created.id, { name: "Renamed" });
    const read = await createModules(prisma).catalog.queries.getProduct(created.id);
    const event = await lastEvent("product", created.id);
    expect(event.type).toBe("ProductUpdated");
    expect(event.data).toEqual({
      id: read.id,
      sku: read.sku,
      name: "Renamed",
      description: "Announced whole",
      price: { amount: 1234, currency: "EUR" },
      categoryId: category.id,
      version: read.version,
      createdAt: read.createdAt.toISOString(),
      updatedAt: read.updatedAt.toISOString(),
    });
  });

  it("an event whose data does not match its type's schema throws before commit, and nothing is written", async () => {
    const before = await databaseFingerprint(url);
    const append = (data: object) =>
      prisma.$transaction((tx) =>
        // @ts-expect-error: what a programming error looks like to the type checker, sent anyway
        appendToStream(tx, { streamType: "inventory", streamId: "1", type: "StockReceived", data, actor: "system" }),
      );
    await expect(append({ productId: 1, quantity: 2 })).rejects.toThrow(InvalidEventError); // no resulting level
    await expect(
      append({ productId: 1, quantity: 2, onHand: 2, reserved: 0, available: 2, version: 1, extra: 1 }),
    ).rejects.toThrow(/StockReceived data does not match its schema/);
    await expect(
      prisma.$transaction((tx) =>
        // @ts-expect-error: an event type on another type's stream
        appendToStream(tx, { streamType: "post", streamId: "1", type: "ProductDeleted", data: { id: 1 }, actor: "system" }),
      ),
    ).rejects.toThrow(/belongs on a "product" stream/);
    expect(await databaseFingerprint(url)).toEqual(before);
  });
});
