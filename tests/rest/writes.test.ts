import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { customerToken, machineToken, staffToken } from "../helpers/tokens.js";

// Tokens come from a real listening server (real provider); requests go through supertest to an
// app on the same database and issuer, whose log lines (response validation) the test can read.
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
let url: string;
let staff: string;
let customer: string;
let warehouse: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  url = db.url;
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
  customer = await customerToken(server, "catalog:read blog:read blog:write");
  warehouse = await machineToken(server, t.prisma, ["inventory:read", "inventory:write"]);
});
afterAll(() => server.stop());

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

async function unchanged(work: () => Promise<request.Response>, status: number) {
  const before = await databaseFingerprint(url);
  const res = await work();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(await databaseFingerprint(url)).toEqual(before);
  return res;
}

describe("catalog writes (v2)", () => {
  it("create, conditional update, stale update refused, delete", async () => {
    const category = await t.prisma.category.findFirstOrThrow();
    const created = await request(t.app)
      .post("/api/v2/products")
      .set(bearer(staff))
      .send({ sku: "REST-001", name: "Travel Mug", price: { amount: 2450, currency: "EUR" }, categoryId: category.id });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.location).toBe(`/api/v2/products/${created.body.id}`);
    expect(created.body).toMatchObject({
      price: { amount: 2450, currency: "EUR" },
      stock: { onHand: 0, available: 0 },
      version: 1,
    });
    const etag = String(created.headers.etag);

    const updated = await request(t.app)
      .patch(`/api/v2/products/${created.body.id}`)
      .set(bearer(staff))
      .set("If-Match", etag)
      .send({ name: "Travel Mug 350 ml" });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ name: "Travel Mug 350 ml", version: 2 });
    expect(updated.headers.etag).not.toBe(etag);

    const stale = await unchanged(
      () =>
        request(t.app)
          .patch(`/api/v2/products/${created.body.id}`)
          .set(bearer(staff))
          .set("If-Match", etag)
          .send({ name: "Lost update" }),
      412,
    );
    expect(stale.body.code).toBe("PreconditionFailed");

    await unchanged(() => request(t.app).delete(`/api/v2/products/${created.body.id}`).set(bearer(customer)), 403);
    const deleted = await request(t.app).delete(`/api/v2/products/${created.body.id}`).set(bearer(staff));
    expect(deleted.status).toBe(204);
    expect((await request(t.app).get(`/api/v2/products/${created.body.id}`)).status).toBe(404);
  });

  it("refuses writes without a token, without the scope, and with bad bodies, writing nothing", async () => {
    const body = { sku: "REST-002", name: "Nope", price: { amount: 1, currency: "EUR" }, categoryId: 1 };
    const anonymous = await unchanged(() => request(t.app).post("/api/v2/products").send(body), 401);
    expect(anonymous.headers["www-authenticate"]).toMatch(/^Bearer/);
    const noScope = await unchanged(() => request(t.app).post("/api/v2/products").set(bearer(customer)).send(body), 403);
    expect(noScope.headers["www-authenticate"]).toContain('error="insufficient_scope"');

    const unknownField = await unchanged(
      () =>
        request(t.app)
          .post("/api/v2/products")
          .set(bearer(staff))
          .send({ ...body, color: "red" }),
      400,
    );
    expect(unknownField.body.errors).toEqual([expect.objectContaining({ pointer: "#/color" })]);
    const badTypes = await unchanged(
      () =>
        request(t.app)
          .post("/api/v2/products")
          .set(bearer(staff))
          .send({ ...body, price: { amount: -5, currency: "euro" }, name: "x".repeat(500) }),
      400,
    );
    expect(badTypes.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual([
      "#/name",
      "#/price/amount",
      "#/price/currency",
    ]);
    await unchanged(
      () =>
        request(t.app)
          .post("/api/v2/products")
          .set(bearer(staff))
          .send({ ...body, sku: "COF-ESP-250" }),
      409,
    );
  });

  it("v1 ignores unknown fields and says so in a Warning header", async () => {
    const category = await t.prisma.category.findFirstOrThrow();
    const res = await request(t.app)
      .post("/api/v1/products")
      .set(bearer(staff))
      .send({ sku: "REST-V1", name: "Filter Papers", price: "4.50", currency: "EUR", categoryId: category.id, colour: "white" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.price).toBe("4.50");
    expect(res.headers.warning).toContain("colour");
    expect((await t.prisma.product.findUniqueOrThrow({ where: { sku: "REST-V1" } })).priceAmount).toBe(450);
  });
});

describe("stock adjustments (v2)", () => {
  it("moves stock, honours Idempotency-Key, and refuses conflicts (409) and broken invariants (422) without writing", async () => {
    const product = await t.prisma.product.findFirstOrThrow({ where: { sku: "TEA-MAT-030" } });
    const path = `/api/v2/products/${product.id}/stock/adjustments`;
    const before = (await request(t.app).get(`/api/v2/products/${product.id}/stock`)).body;

    const received = await request(t.app)
      .post(path)
      .set(bearer(warehouse))
      .set("Idempotency-Key", "delivery-77")
      .send({ kind: "receive", quantity: 6 });
    expect(received.status, JSON.stringify(received.body)).toBe(201);
    expect(received.body).toEqual({
      productId: product.id,
      onHand: before.onHand + 6,
      reserved: 0,
      available: before.onHand + 6,
      version: before.version + 1,
    });
    const repeated = await unchangedSuccess(() =>
      request(t.app)
        .post(path)
        .set(bearer(warehouse))
        .set("Idempotency-Key", "delivery-77")
        .send({ kind: "receive", quantity: 6 }),
    );
    expect(repeated.body).toEqual(received.body);

    const conflict = await unchanged(
      () =>
        request(t.app).post(path).set(bearer(warehouse)).send({ kind: "receive", quantity: 1, expectedVersion: before.version }),
      409,
    );
    expect(conflict.body.code).toBe("Conflict");
    const negative = await unchanged(
      () => request(t.app).post(path).set(bearer(warehouse)).send({ kind: "ship", quantity: 1000 }),
      422,
    );
    expect(negative.body.code).toBe("InvariantViolated");
    await unchanged(() => request(t.app).post(path).set(bearer(warehouse)).send({ kind: "receive", quantity: -3 }), 400);
    await unchanged(() => request(t.app).post(path).set(bearer(customer)).send({ kind: "receive", quantity: 1 }), 403);

    const history = await request(t.app).get(`/api/v2/products/${product.id}/stock/history?limit=1`);
    expect(history.body.data[0]).toMatchObject({ streamVersion: 1, type: "StockReceived" });
    const next = await request(t.app).get(
      `/api/v2/products/${product.id}/stock/history?limit=10&cursor=${history.body.page.nextCursor}`,
    );
    expect(next.body.data.map((e: { type: string; actor: string }) => [e.type, e.actor]).at(-1)).toEqual([
      "StockReceived",
      expect.stringMatching(/^client:/),
    ]);
  });
});

async function unchangedSuccess(work: () => Promise<request.Response>) {
  const before = await databaseFingerprint(url);
  const res = await work();
  expect(res.status).toBe(201);
  expect(await databaseFingerprint(url)).toEqual(before);
  return res;
}

describe("blog (v2)", () => {
  it("a customer publishes and comments; a machine client cannot author", async () => {
    const post = await request(t.app)
      .post("/api/v2/posts")
      .set(bearer(customer))
      .send({ title: "Cold brew ratios", content: "1:8, 16 hours." });
    expect(post.status, JSON.stringify(post.body)).toBe(201);
    expect(post.body.author.username).toBe("casey-customer");
    const comment = await request(t.app)
      .post(`/api/v2/posts/${post.body.id}/comments`)
      .set(bearer(staff))
      .send({ text: "Try 1:10 too." });
    expect(comment.status).toBe(201);
    const comments = await request(t.app).get(`/api/v2/posts/${post.body.id}/comments`);
    expect(comments.body.data.map((c: { text: string }) => c.text)).toEqual(["Try 1:10 too."]);
    const events = await t.prisma.event.findMany({
      where: { streamType: "post", streamId: String(post.body.id) },
      orderBy: { streamVersion: "asc" },
    });
    expect(events.map((e) => e.type)).toEqual(["PostCreated", "CommentAdded"]);

    const robot = await machineToken(server, t.prisma, ["blog:write"]);
    await unchanged(() => request(t.app).post("/api/v2/posts").set(bearer(robot)).send({ title: "Bot", content: "beep" }), 403);
  });
});

describe("the OpenAPI documents", () => {
  it("matched every answer given above (checked by the response validator)", () => {
    expect(t.logLines.filter((line) => line.msg === "response does not match the OpenAPI document")).toEqual([]);
  });
});
