import pg from "pg";
import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ResponseCache } from "../../src/http/response-cache.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";

// Anonymous catalog reads are answered from memory until the catalog changes. What a client must
// never see: its own acknowledged write missing from its next read, or another writer's change
// missing for longer than it takes the change announcement to arrive (well under the 3 s waited
// here; the cache's own age limit is 10 s, so a lost announcement fails these tests).
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
let staff: string;
let db: { url: string };
let outsider: pg.Client; // another writer: a CLI, another instance, psql
// An app that hears no announcements (it follows another database): for writes made through
// it, only its own bookkeeping keeps its answers current.
let deaf: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write");
  deaf = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl }, listenTo: (await createTestDatabase()).url });
  outsider = new pg.Client({ connectionString: db.url });
  await outsider.connect();
});
afterAll(async () => {
  await outsider.end();
  await server.stop();
});

const bearer = () => ({ Authorization: `Bearer ${staff}` });
const fresh = { timeout: 3000, interval: 50 };

async function firstProduct() {
  const list = await request(t.app).get("/api/v2/products?limit=1");
  expect(list.status).toBe(200);
  return list.body.data[0] as { id: number; name: string; stock: { onHand: number } };
}

describe("response cache", () => {
  it("answers repeated reads identically, with working conditional requests", async () => {
    const first = await request(t.app).get("/api/v2/products?limit=5&sort=-price");
    const second = await request(t.app).get("/api/v2/products?limit=5&sort=-price");
    expect(second.status).toBe(200);
    expect(second.text).toBe(first.text);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(second.headers.link).toBe(first.headers.link);
    // What is kept does not depend on who asks, but a token that comes along is still checked.
    const withToken = await request(t.app).get("/api/v2/products?limit=5&sort=-price").set(bearer());
    expect(withToken.text).toBe(first.text);
    const badToken = await request(t.app).get("/api/v2/products?limit=5&sort=-price").set("Authorization", "Bearer not-a-token");
    expect(badToken.status).toBe(401);
    const notModified = await request(t.app)
      .get("/api/v2/products?limit=5&sort=-price")
      .set("If-None-Match", String(first.headers.etag));
    expect(notModified.status).toBe(304);
    const v1 = await request(t.app).get("/api/v1/products?page_size=5");
    const v1Again = await request(t.app).get("/api/v1/products?page_size=5");
    expect(v1Again.text).toBe(v1.text);
    expect(v1Again.headers.sunset).toBe(v1.headers.sunset);
    expect(v1Again.headers["content-type"]).toMatch(/^application\/vnd\.stockroom\.v1\+json/);
  });

  it("shows a client its own write in the very next read, without waiting for the announcement", async () => {
    const firstProduct = async () => (await request(deaf.app).get("/api/v2/products?limit=1")).body.data[0];
    const product = await firstProduct();
    await request(deaf.app).get(`/api/v2/products/${product.id}`); // now kept
    const renamed = await request(deaf.app)
      .patch(`/api/v2/products/${product.id}`)
      .set(bearer())
      .send({ name: `${product.name} (renamed)` });
    expect(renamed.status).toBe(200);
    const read = await request(deaf.app).get(`/api/v2/products/${product.id}`);
    expect(read.body.name).toBe(`${product.name} (renamed)`);
    expect((await firstProduct()).name).toBe(`${product.name} (renamed)`);

    const received = await request(deaf.app)
      .post(`/api/v2/products/${product.id}/stock/adjustments`)
      .set(bearer())
      .send({ kind: "receive", quantity: 7 });
    expect(received.status).toBe(201);
    expect((await firstProduct()).stock.onHand).toBe(received.body.onHand);
  });

  it("shows another writer's change as soon as its announcement arrives", async () => {
    const product = await firstProduct();
    await request(t.app).get(`/api/v2/products/${product.id}`);
    await outsider.query("UPDATE products SET name = $1, version = version + 1 WHERE id = $2", ["Changed elsewhere", product.id]);
    await vi.waitFor(
      async () => expect((await request(t.app).get(`/api/v2/products/${product.id}`)).body.name).toBe("Changed elsewhere"),
      fresh,
    );
    await vi.waitFor(async () => expect((await firstProduct()).name).toBe("Changed elsewhere"), fresh);

    // Categories are in product lists (include=category) and have their own reads.
    const withCategory = await request(t.app).get("/api/v2/products?limit=1&include=category");
    const categoryId = withCategory.body.data[0].category.id;
    await outsider.query("UPDATE categories SET name = 'Renamed elsewhere' WHERE id = $1", [categoryId]);
    await vi.waitFor(async () => {
      const again = await request(t.app).get("/api/v2/products?limit=1&include=category");
      expect(again.body.data[0].category.name).toBe("Renamed elsewhere");
    }, fresh);
  });

  it("loses nothing while its LISTEN connection is down: it keeps nothing then, and starts over on reconnect", async () => {
    const product = await firstProduct();
    await request(t.app).get(`/api/v2/products/${product.id}`);
    const killed = await outsider.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN stockroom_changes'",
    );
    // (The identity server in this file is a whole Stockroom too, with its own listener.)
    expect(killed.rowCount).toBeGreaterThanOrEqual(1);
    // Announced while nobody listens: PostgreSQL drops it.
    await outsider.query("UPDATE products SET name = 'Changed while deaf', version = version + 1 WHERE id = $1", [product.id]);
    await vi.waitFor(
      async () => expect((await request(t.app).get(`/api/v2/products/${product.id}`)).body.name).toBe("Changed while deaf"),
      fresh,
    );
    // And once listening again, it follows changes as before.
    await vi.waitFor(async () => {
      const listeners = await outsider.query(
        "SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query = 'LISTEN stockroom_changes'",
      );
      expect(listeners.rowCount).toBe(killed.rowCount);
    }, fresh);
    await request(t.app).get(`/api/v2/products/${product.id}`);
    await outsider.query("UPDATE products SET name = 'Changed after reconnect', version = version + 1 WHERE id = $1", [
      product.id,
    ]);
    await vi.waitFor(
      async () => expect((await request(t.app).get(`/api/v2/products/${product.id}`)).body.name).toBe("Changed after reconnect"),
      fresh,
    );
  });

  it("never keeps a read that overlapped a write: after concurrent reads and writes, reads show the last write", async () => {
    const firstDeafProduct = async () => (await request(deaf.app).get("/api/v2/products?limit=1")).body.data[0];
    const product = await firstDeafProduct();
    const writes = Array.from({ length: 20 }, (_, i) => i);
    const reads: Promise<unknown>[] = [];
    for (const i of writes) {
      // supertest sends on then(): start the reads now, so they overlap the write.
      reads.push(
        request(deaf.app)
          .get("/api/v2/products?limit=1")
          .then((r) => r),
        request(deaf.app)
          .get(`/api/v2/products/${product.id}`)
          .then((r) => r),
      );
      const res = await request(deaf.app)
        .post(`/api/v2/products/${product.id}/stock/adjustments`)
        .set(bearer())
        .send({ kind: "receive", quantity: 1 });
      expect(res.status, `write ${i}`).toBe(201);
    }
    await Promise.all(reads);
    const onHand = Number((await t.prisma.stockLevel.findUniqueOrThrow({ where: { productId: product.id } })).onHand);
    expect((await firstDeafProduct()).stock.onHand).toBe(onHand);
    expect((await request(deaf.app).get(`/api/v2/products/${product.id}`)).body.stock.onHand).toBe(onHand);
  });
});

describe("ResponseCache", () => {
  const answer = { body: Buffer.from('{"data":[]}'), headers: { "Content-Type": "application/json" } };

  it("keeps nothing until it follows the database's announcements, and drops a read that overlapped a change", async () => {
    const cache = new ResponseCache({ maxEntries: 10 });
    cache.keep("k", cache.startRead(), answer);
    expect(cache.get("k")).toBeUndefined(); // not following: a change could go unnoticed

    await cache.follow(db.url, pino({ level: "silent" }));
    cache.keep("k", cache.startRead(), answer);
    expect(cache.get("k")).toEqual(answer);

    // A read starts, a change is announced while it runs, the read ends: its answer may be old.
    const token = cache.startRead();
    await outsider.query("UPDATE categories SET name = name");
    await vi.waitFor(() => expect(cache.get("k")).toBeUndefined(), fresh);
    cache.keep("k", token, answer);
    expect(cache.get("k")).toBeUndefined();
    await cache.close();
  });
});
