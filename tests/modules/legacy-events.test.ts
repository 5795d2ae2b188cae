// Events appended before the registry carried only the change; the migration
// 20261202190000_event_payloads_for_subscribers upgrades them so readers can parse every event.
import { readFile } from "node:fs/promises";
import pg from "pg";
import { describe, expect, it, vi } from "vitest";
import { migrationsDir } from "../../src/db/migrator.js";
import { feedStart } from "../../src/events/position.js";
import { readSince } from "../../src/events/read.js";
import { seededDatabase } from "../helpers/seeded.js";

describe("the event payload migration", () => {
  it("turns payloads in the old shape into ones every reader parses, and changes nothing the second time", async () => {
    const { prisma, url } = await seededDatabase();
    const product = await prisma.product.findFirstOrThrow({ include: { stockLevel: true } });
    const comment = await prisma.comment.findFirstOrThrow({ include: { author: true } });
    const post = await prisma.post.findUniqueOrThrow({ where: { id: comment.postId } });
    const legacy = [
      // A stream as the old commands appended it: received 5, reserved 2, shipped 1.
      ["inventory", "9001", 1, "StockReceived", { productId: 9001, quantity: 5, reason: "opening stock (demo seed)" }],
      ["inventory", "9001", 2, "StockReserved", { productId: 9001, quantity: 2 }],
      ["inventory", "9001", 3, "StockShipped", { productId: 9001, quantity: 1 }],
      [
        "product",
        "9002",
        1,
        "ProductCreated",
        {
          id: 9002,
          sku: "OLD-1",
          name: "Old",
          priceAmount: 100,
          priceCurrency: "EUR",
          categoryId: product.categoryId,
          version: 1,
        },
      ],
      ["post", "9003", 1, "PostCreated", { postId: 9003, title: "Old post", authorId: comment.authorId }],
      ["post", "9003", 2, "PostUpdated", { postId: 9003, content: "Changed" }],
      [
        "post",
        String(post.id),
        100,
        "CommentAdded",
        { commentId: comment.id, postId: post.id, authorId: comment.authorId, text: comment.text },
      ],
    ] as const;
    for (const [streamType, streamId, streamVersion, type, data] of legacy) {
      await prisma.event.create({ data: { streamType, streamId, streamVersion, type, data, metadata: { actor: "seed" } } });
    }
    const sql = await readFile(`${migrationsDir}/20261202190000_event_payloads_for_subscribers/migration.sql`, "utf8");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
      const once = await prisma.event.findMany({ orderBy: { id: "asc" } });
      await client.query(sql);
      expect(await prisma.event.findMany({ orderBy: { id: "asc" } })).toEqual(once);
    } finally {
      await client.end();
    }

    const events = await vi.waitFor(
      async () => {
        const all = await readSince(prisma, feedStart, { limit: 10_000 }); // parses every event with its schema
        expect(all.length).toBe(await prisma.event.count());
        return all;
      },
      { timeout: 30_000 },
    );
    const data = (streamId: string, type: string) =>
      events.filter((e) => e.streamId === streamId && e.type === type).map((e) => e.data as Record<string, unknown>);
    expect(data("9001", "StockShipped")).toEqual([
      { productId: 9001, quantity: 1, onHand: 4, reserved: 1, available: 3, version: 3 },
    ]);
    expect(data("9002", "ProductCreated")[0]).toMatchObject({
      id: 9002,
      price: { amount: 100, currency: "EUR" },
      description: "",
    });
    expect(data("9003", "PostUpdated")[0]).toMatchObject({
      id: 9003,
      title: "",
      content: "Changed",
      author: { id: comment.authorId, username: comment.author.username },
    });
    expect(data(String(post.id), "CommentAdded").at(-1)).toEqual({
      id: comment.id,
      postId: post.id,
      text: comment.text,
      author: { id: comment.authorId, username: comment.author.username },
      createdAt: comment.createdAt.toISOString(),
    });
  });
});
