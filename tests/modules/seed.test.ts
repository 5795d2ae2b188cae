import { describe, expect, it, vi } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createPrismaClient } from "../../src/db/prisma.js";
import { feedStart } from "../../src/events/position.js";
import { readSince } from "../../src/events/read.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";

describe("the demo seed", () => {
  it("goes through the commands: every seeded product, post and comment has its creation event, opening stock its StockReceived", async () => {
    const db = await createTestDatabase();
    // Two processes seeding one fresh database at once (here: two clients) create it once.
    const clients = [createPrismaClient(db.url, { poolSize: 3 }), createPrismaClient(db.url, { poolSize: 3 })];
    try {
      const [prisma] = clients as [ReturnType<typeof createPrismaClient>];
      await Promise.all(clients.map((client) => seedDemoData(client)));
      const events = await prisma.event.findMany({ orderBy: { id: "asc" } });
      const byStream = (streamType: string, id: number, type: string) =>
        events.filter((e) => e.streamType === streamType && e.streamId === String(id) && e.type === type);

      const products = await prisma.product.findMany({ include: { stockLevel: true } });
      expect(products).toHaveLength(24);
      for (const product of products) {
        const [created, ...more] = byStream("product", product.id, "ProductCreated");
        expect(more).toEqual([]);
        expect(created?.data).toMatchObject({ id: product.id, sku: product.sku, name: product.name });
        const level = product.stockLevel;
        const received = byStream("inventory", product.id, "StockReceived");
        if (level && level.onHand > 0) {
          expect(received.map((e) => e.data)).toEqual([
            expect.objectContaining({
              quantity: level.onHand,
              onHand: level.onHand,
              reserved: 0,
              available: level.onHand,
              version: 1,
            }),
          ]);
        } else {
          expect(received).toEqual([]);
        }
      }
      const posts = await prisma.post.findMany({ include: { comments: { include: { author: true } } } });
      expect(posts).toHaveLength(3);
      for (const post of posts) {
        expect(byStream("post", post.id, "PostCreated").map((e) => e.data)).toEqual([
          expect.objectContaining({ id: post.id, title: post.title }),
        ]);
        for (const comment of post.comments) {
          const added = byStream("post", post.id, "CommentAdded").filter((e) => (e.data as { id: number }).id === comment.id);
          expect(added.map((e) => e.data)).toEqual([
            {
              id: comment.id,
              postId: post.id,
              text: comment.text,
              author: { id: comment.authorId, username: comment.author.username },
              createdAt: comment.createdAt.toISOString(),
            },
          ]);
        }
      }
      expect(events).toHaveLength(24 + 21 + 3 + 6);
      // The feed reads (and types) every one of them, once other files' transactions let the server-wide horizon pass.
      await vi.waitFor(async () => expect(await readSince(prisma, feedStart, { limit: 1000 })).toHaveLength(events.length), {
        timeout: 30_000,
      });

      // Seeding again finds everything by its natural key: no row, no event.
      const seeded = await databaseFingerprint(db.url);
      expect(await seedDemoData(prisma)).toEqual({ created: 0 });
      expect(await databaseFingerprint(db.url)).toEqual(seeded);
    } finally {
      await Promise.all(clients.map((client) => client.$disconnect()));
    }
  });
});
