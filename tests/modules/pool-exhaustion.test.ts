import request from "supertest";
import { afterAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/auth/actor.js";
import { createPrismaClient } from "../../src/db/prisma.js";
import { asDomainError } from "../../src/errors.js";
import { createModules } from "../../src/modules/index.js";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// Every connection of the pool in use (a slow transaction holds the only one): a statement waits
// its bound for a connection, then fails as Unavailable to every transport, and changes nothing.
async function onePooledConnection() {
  const { url, prisma: seeded } = await seededDatabase();
  const prisma = createPrismaClient(url, { poolSize: 1, connectionWaitMs: 300 });
  afterAll(() => prisma.$disconnect());
  /** Takes the pool's one connection for 1.5 s; resolves once it is taken, with the promise of its release. */
  const hold = async () => {
    const released = prisma.$transaction((tx) => tx.$executeRaw`SELECT pg_sleep(1.5)`, { timeout: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    return { released };
  };
  return { url, seeded, prisma, hold };
}

const unavailable = (error: unknown) => asDomainError(error)?.code === "Unavailable";

describe("a database pool with no connection free", () => {
  it("fails a one-statement stock write and a read as Unavailable after the wait bound, and writes nothing", async () => {
    const { seeded, prisma, hold } = await onePooledConnection();
    const product = await seeded.stockLevel.findFirstOrThrow();
    const { released } = await hold();
    const started = Date.now();
    const write = createModules(prisma).inventory.commands.moveStock(systemActor, {
      productId: product.productId,
      kind: "receive",
      quantity: 3,
    });
    await expect(write).rejects.toSatisfy(unavailable);
    expect(Date.now() - started).toBeLessThan(1200);
    await expect(prisma.product.count()).rejects.toSatisfy(unavailable);
    await released;
    expect((await seeded.stockLevel.findUniqueOrThrow({ where: { productId: product.productId } })).version).toBe(
      product.version,
    );
  });

  it("answers 503 problem+json over REST, and 200 once a connection is free", async () => {
    const { url, prisma, hold } = await onePooledConnection();
    const t = await createTestApp(url, { prisma });
    const { released } = await hold();
    const res = await request(t.app).get("/api/v2/products?limit=2");
    expect(res.status, JSON.stringify(res.body)).toBe(503);
    expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
    await released;
    await request(t.app).get("/api/v2/products?limit=2").expect(200);
  });
});
