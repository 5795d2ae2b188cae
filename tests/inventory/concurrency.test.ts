import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/db/prisma.js";
import { createModules } from "../../src/modules/index.js";
import { staffActor } from "../helpers/actors.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
beforeAll(async () => {
  ({ prisma } = await seededDatabase({ poolSize: 20 }));
});

describe("concurrent writers on one product", () => {
  it("20 writers × 50 movements: the final level is the sum, every stream version appears once", async () => {
    const { commands, queries } = createModules(prisma).inventory;
    const product = await prisma.product.findFirstOrThrow({ where: { sku: "COF-ESP-250" } });
    const before = await queries.stockOf(product.id);

    let expectedDelta = 0;
    const writers = Array.from({ length: 20 }, async (_, writer) => {
      for (let i = 0; i < 50; i++) {
        // Alternate receipts and corrections so both directions race.
        const quantity = i % 5 === 4 ? -1 : 1 + ((writer + i) % 3);
        expectedDelta += quantity;
        await commands.moveStock(
          staffActor(writer + 1),
          quantity > 0
            ? { productId: product.id, kind: "receive", quantity }
            : { productId: product.id, kind: "adjust", quantity, reason: "recount" },
        );
      }
    });
    await Promise.all(writers);

    const after = await queries.stockOf(product.id);
    expect(after.onHand).toBe(before.onHand + expectedDelta);
    expect(after.version).toBe(before.version + 1000);

    const versions = await prisma.event.findMany({
      where: { streamType: "inventory", streamId: String(product.id) },
      select: { streamVersion: true },
      orderBy: { streamVersion: "asc" },
    });
    expect(versions.map((v) => v.streamVersion)).toEqual(Array.from({ length: before.version + 1000 }, (_, i) => i + 1));
    // And the feed hands them out in that order: a subscriber never sees version 8 before 7.
    expect(await feedOrder("inventory", product.id)).toEqual(versions.map((v) => v.streamVersion));
  });

  it("10 writers racing with one expectedVersion: exactly one moves the stock, the others get Conflict", async () => {
    const { commands, queries } = createModules(prisma).inventory;
    const product = await prisma.product.findFirstOrThrow({ where: { sku: "TEA-ASM-250" } });
    const before = await queries.stockOf(product.id);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, writer) =>
        commands.moveStock(staffActor(writer + 1), {
          productId: product.id,
          kind: "receive",
          quantity: 1 + writer,
          expectedVersion: before.version,
        }),
      ),
    );
    const applied = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const refused = results.flatMap((r) => (r.status === "rejected" ? [(r.reason as { code?: string }).code] : []));
    expect(applied).toHaveLength(1);
    expect(refused).toEqual(Array(9).fill("Conflict"));
    const after = await queries.stockOf(product.id);
    expect(after).toEqual(applied[0]);
    expect(after.version).toBe(before.version + 1);
    const events = await prisma.event.count({
      where: { streamType: "inventory", streamId: String(product.id), streamVersion: { gt: before.version } },
    });
    expect(events).toBe(1);
  });

  it("20 writers commenting on one post: the post's stream comes out of the feed in version order", async () => {
    const { blog } = createModules(prisma);
    const post = await prisma.post.findFirstOrThrow();
    const staff = await prisma.user.findFirstOrThrow({ where: { role: "staff" } });
    await Promise.all(
      Array.from({ length: 20 }, async (_, writer) => {
        for (let i = 0; i < 10; i++) await blog.commands.addComment(staffActor(staff.id), post.id, `writer ${writer}, ${i}`);
      }),
    );
    const order = await feedOrder("post", post.id);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

// Stream versions in the order the feed reads events: by transaction id, then id.
async function feedOrder(streamType: string, id: number): Promise<number[]> {
  const rows = await prisma.$queryRaw<{ stream_version: number }[]>`
    SELECT stream_version FROM events WHERE stream_type = ${streamType} AND stream_id = ${String(id)} ORDER BY txid, id`;
  return rows.map((row) => row.stream_version);
}
