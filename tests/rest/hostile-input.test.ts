import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";

// One test per class of hostile input that used to answer 500 (or was silently accepted): each
// must be a 4xx problem document naming what was wrong, and must change nothing.
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
let url: string;
let token: string;
let productId: number;
let categoryId: number;
let postId: number;
let origin: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  url = db.url;
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  token = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
  productId = (await t.prisma.product.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
  categoryId = (await t.prisma.category.findFirstOrThrow()).id;
  postId = (await t.prisma.post.findFirstOrThrow()).id;
  const listening = http.createServer(t.app).listen(0, "127.0.0.1");
  await new Promise((resolve) => listening.once("listening", resolve));
  origin = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
  afterAll(() => new Promise((resolve) => listening.close(resolve)));
});
afterAll(() => server.stop());

type Answer = { status: number; headers: Record<string, string>; body: Record<string, unknown> & { errors?: unknown[] } };

/** Sends `bytes` as they are (supertest would serialize a Buffer as JSON), over a real connection. */
async function sendBytes(method: string, path: string, headers: Record<string, string>, bytes: Buffer): Promise<Answer> {
  const res = await fetch(`${origin}${path}`, {
    method: method.toUpperCase(),
    headers: { Authorization: `Bearer ${token}`, ...headers },
    body: bytes,
  });
  return { status: res.status, headers: Object.fromEntries(res.headers), body: (await res.json()) as Answer["body"] };
}

type Named = { pointer: string } | { parameter: string } | undefined;

/** Runs `send`, expects `status` as problem+json naming `named` (if given), and an unchanged database. */
async function rejected(send: () => request.Test | Promise<Answer>, status: number, named?: Named) {
  const before = await databaseFingerprint(url);
  const res = await send();
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  if (named) expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining(named)]));
  expect(await databaseFingerprint(url)).toEqual(before);
  return res;
}

const auth = () => ({ Authorization: `Bearer ${token}` });
const post = (path: string) => request(t.app).post(path).set(auth());
const validProduct = () => ({ sku: "HOSTILE-1", name: "Mug", price: { amount: 100, currency: "EUR" }, categoryId });

describe("request bodies", () => {
  it("a Content-Encoding the body does not really have is a 400 on every write route", async () => {
    const routes: [string, string][] = [
      ["post", "/api/v2/products"],
      ["patch", `/api/v2/products/${productId}`],
      ["post", "/api/v1/products"],
      ["patch", `/api/v1/products/${productId}`],
      ["post", "/api/v2/categories"],
      ["patch", `/api/v1/categories/${categoryId}`],
      ["post", `/api/v2/products/${productId}/stock/adjustments`],
      ["post", "/api/v2/posts"],
      ["patch", `/api/v1/posts/${postId}`],
      ["post", `/api/v2/posts/${postId}/comments`],
    ];
    for (const encoding of ["gzip", "deflate", "br"]) {
      for (const [method, path] of routes) {
        const plain = Buffer.from(JSON.stringify({ name: "plain, not compressed" }));
        await rejected(
          () => sendBytes(method, path, { "Content-Type": "application/json", "Content-Encoding": encoding }, plain),
          400,
        );
      }
    }
  });

  it("a body whose bytes are not UTF-8 is a 400 naming the body (RFC 8259 §8.1)", async () => {
    const latin1 = Buffer.from('{"title":"Caf\xe9","content":"x"}', "latin1");
    const res = await rejected(() => sendBytes("post", "/api/v2/posts", { "Content-Type": "application/json" }, latin1), 400, {
      pointer: "#",
    });
    expect(res.body.code, JSON.stringify(res.body)).toBe("MalformedBody");
  });

  it("a body in a charset other than UTF-8 is a 415", async () => {
    await rejected(
      () =>
        sendBytes(
          "post",
          "/api/v2/posts",
          { "Content-Type": "application/json; charset=utf-16le" },
          Buffer.from('{"title":"t","content":"c"}', "utf16le"),
        ),
      415,
    );
  });
});

describe("integers past their column's range", () => {
  it("ids past int4 in bodies are a 400 naming the field (v1 and v2)", async () => {
    await rejected(() => post("/api/v2/products").send({ ...validProduct(), categoryId: 2_147_483_648 }), 400, {
      pointer: "#/categoryId",
    });
    const { price, ...v1 } = validProduct();
    await rejected(
      () => post("/api/v1/products").send({ ...v1, price: "1.00", currency: "EUR", categoryId: 2_147_483_648 }),
      400,
      {
        pointer: "#/categoryId",
      },
    );
  });

  it("a v1 price past the money column is a 400 naming price", async () => {
    const { price, ...v1 } = validProduct();
    await rejected(() => post("/api/v1/products").send({ ...v1, price: "999999999.99", currency: "EUR" }), 400, {
      pointer: "#/price",
    });
  });

  it("minPrice / maxPrice past int4 are a 400 naming the parameter", async () => {
    for (const name of ["minPrice", "maxPrice"]) {
      await rejected(() => request(t.app).get(`/api/v2/products?${name}=2147483648`), 400, { parameter: name });
    }
  });

  it("cursor ids past int4 are a 400 naming cursor", async () => {
    for (const path of ["/api/v2/posts", `/api/v2/posts/${postId}/comments`, `/api/v2/products/${productId}/stock/history`]) {
      await rejected(() => request(t.app).get(`${path}?cursor=9999999999`), 400, { parameter: "cursor" });
    }
  });

  it("a receive that would overflow the stock level is a 422", async () => {
    const other = (await t.prisma.product.findFirstOrThrow({ where: { id: { not: productId } } })).id;
    const path = `/api/v2/products/${other}/stock/adjustments`;
    // Bringing on-hand near the column's maximum through real receipts would take 2,000 requests; set it.
    await t.prisma.$executeRaw`UPDATE stock_levels SET on_hand = 2147483000 WHERE product_id = ${other}`;
    const res = await rejected(() => post(path).send({ kind: "receive", quantity: 1_000 }), 422);
    expect(res.body.code).toBe("InvariantViolated");
    await rejected(() => post(path).send({ kind: "adjust", quantity: 1_000, reason: "found a pallet" }), 422);
  });
});

describe("text", () => {
  it("a NUL character in a body field or the query string is a 400 naming it", async () => {
    await rejected(() => post("/api/v2/posts").send({ title: "a\u0000b", content: "c" }), 400, { pointer: "#/title" });
    await rejected(() => post("/api/v2/categories").send({ slug: "nul", name: "a\u0000b" }), 400, { pointer: "#/name" });
    await rejected(() => request(t.app).get("/api/v2/products?q=a%00b"), 400, { parameter: "q" });
  });

  it("lone UTF-16 surrogates are a 400 naming the field (RFC 8259 §8.2), never stored as U+FFFD", async () => {
    const lone = "a\ud800b";
    await rejected(() => post("/api/v2/posts").send({ title: lone, content: "c" }), 400, { pointer: "#/title" });
    await rejected(() => post(`/api/v2/posts/${postId}/comments`).send({ text: lone }), 400, { pointer: "#/text" });
    await rejected(
      () => post(`/api/v2/products/${productId}/stock/adjustments`).send({ kind: "adjust", quantity: 1, reason: lone }),
      400,
      { pointer: "#/reason" },
    );
    await rejected(() => post("/api/v2/products").send({ ...validProduct(), name: lone }), 400, { pointer: "#/name" });
    await rejected(() => post("/api/v2/categories").send({ slug: "lone", name: "x", description: `\udc00${lone}` }), 400, {
      pointer: "#/description",
    });
  });
});

describe("cursors", () => {
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

  it("a cursor with the wrong value types or a date that is not a date is a 400 naming cursor", async () => {
    await rejected(() => request(t.app).get(`/api/v2/products?sort=name&cursor=${forged({ k: [123, 1], d: "n" })}`), 400, {
      parameter: "cursor",
    });
    await rejected(
      () => request(t.app).get(`/api/v2/products?sort=createdAt&cursor=${forged({ k: ["not a date", 1], d: "n" })}`),
      400,
      { parameter: "cursor" },
    );
  });

  it("a cursor made for another sort or other filters is a 400 naming cursor", async () => {
    const first = await request(t.app).get("/api/v2/products?limit=2&sort=name");
    const cursor = first.body.page.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expect((await request(t.app).get(`/api/v2/products?limit=2&sort=name&cursor=${cursor}`)).status).toBe(200);
    await rejected(() => request(t.app).get(`/api/v2/products?limit=2&sort=sku&cursor=${cursor}`), 400, { parameter: "cursor" });
    await rejected(() => request(t.app).get(`/api/v2/products?limit=2&sort=name&minPrice=1&cursor=${cursor}`), 400, {
      parameter: "cursor",
    });
    const posts = await request(t.app).get("/api/v2/posts?limit=1");
    const postCursor = posts.body.page.nextCursor as string;
    await rejected(() => request(t.app).get(`/api/v2/posts/${postId}/comments?cursor=${postCursor}`), 400, {
      parameter: "cursor",
    });
  });

  it("a cursor made by one instance pages on another (the key is the database's, not the process's)", async () => {
    const first = await request(t.app).get("/api/v2/products?limit=3&sort=name");
    const second = await fetch(`${server.api}/v2/products?limit=3&sort=name&cursor=${first.body.page.nextCursor}`);
    expect(second.status).toBe(200);
    const ids = ((await second.json()) as { data: { id: number }[] }).data.map((p) => p.id);
    const here = await request(t.app).get(`/api/v2/products?limit=3&sort=name&cursor=${first.body.page.nextCursor}`);
    expect(ids).toHaveLength(3);
    expect(ids).toEqual(here.body.data.map((p: { id: number }) => p.id));
    expect(ids.filter((id) => first.body.data.some((p: { id: number }) => p.id === id))).toEqual([]);
  });

  it("a cursor whose position was altered, types intact, is a 400 naming cursor", async () => {
    const first = await request(t.app).get("/api/v2/products?limit=2&sort=-price");
    const [payload, tag] = String(first.body.page.nextCursor).split(".");
    const position = JSON.parse(Buffer.from(String(payload), "base64url").toString("utf8"));
    position.k[position.k.length - 1] += 1; // another id: still a valid position, not the one we signed
    const altered = `${forged(position)}.${tag}`;
    await rejected(() => request(t.app).get(`/api/v2/products?limit=2&sort=-price&cursor=${altered}`), 400, {
      parameter: "cursor",
    });
  });
});

describe("headers and unknown parameters", () => {
  it("an Idempotency-Key outside the documented 1–200 characters is a 400 naming the header", async () => {
    const path = `/api/v2/products/${productId}/stock/adjustments`;
    for (const key of ["", "k".repeat(8_000)]) {
      await rejected(() => post(path).set("Idempotency-Key", key).send({ kind: "receive", quantity: 1 }), 400, {
        parameter: "idempotency-key",
      });
    }
  });

  it("v2 names each unknown query parameter", async () => {
    await rejected(() => request(t.app).get("/api/v2/products?colour=red&size=xl"), 400, { parameter: "colour" });
    const res = await request(t.app).get("/api/v2/products?colour=red&size=xl");
    expect(res.body.errors.map((e: { parameter: string }) => e.parameter).sort()).toEqual(["colour", "size"]);
  });
});
