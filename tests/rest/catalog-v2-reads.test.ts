import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";

let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  const db = await createTestDatabase();
  t = await createTestApp(db.url);
  await seedDemoData(t.prisma);
});

type Product = {
  id: number;
  name?: string;
  price?: { amount: number; currency: string };
  stock?: { available: number };
  category?: { slug: string };
};
type Page = { data: Product[]; page: { nextCursor: string | null; prevCursor: string | null } };

async function list(query: string): Promise<Page> {
  const res = await request(t.app).get(`/api/v2/products?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function walk(query: string): Promise<Product[]> {
  const all: Product[] = [];
  let cursor: string | null = null;
  do {
    const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ""}`);
    all.push(...page.data);
    cursor = page.page.nextCursor;
  } while (cursor);
  return all;
}

describe("GET /api/v2/products", () => {
  it("pages with cursors through every product exactly once, in the asked order", async () => {
    const byPriceDesc = await walk("limit=5&sort=-price,name");
    expect(byPriceDesc).toHaveLength(24);
    expect(new Set(byPriceDesc.map((p) => p.id)).size).toBe(24);
    const prices = byPriceDesc.map((p) => p.price?.amount ?? 0);
    expect(prices).toEqual([...prices].sort((a, b) => b - a));
  });

  it("keeps cursors stable while products are inserted", async () => {
    const first = await list("limit=10&sort=name");
    const category = await t.prisma.category.findFirstOrThrow();
    // Inserted before and after the page boundary: neither may shift what the next page holds.
    await t.prisma.product.createMany({
      data: ["AAA first", "zzz last"].map((name, i) => ({
        sku: `INS-${i}`,
        name,
        priceAmount: 100,
        priceCurrency: "EUR",
        categoryId: category.id,
      })),
    });
    const second = await list(`limit=10&sort=name&cursor=${first.page.nextCursor}`);
    const lastOfFirst = first.data.at(-1)?.name ?? "";
    expect(second.data.every((p) => (p.name ?? "") > lastOfFirst)).toBe(true);
    // And going back from the second page gives the first page again (plus nothing shifted).
    const back = await list(`limit=10&sort=name&cursor=${second.page.prevCursor}`);
    expect(back.data.map((p) => p.id)).toEqual(first.data.map((p) => p.id));
  });

  it("filters by category, text, stock and price, and embeds live stock", async () => {
    const tea = await t.prisma.category.findUniqueOrThrow({ where: { slug: "tea" } });
    const teaProducts = await walk(`limit=100&category=${tea.id}&include=category`);
    expect(teaProducts).toHaveLength(8);
    expect(teaProducts.every((p) => p.category?.slug === "tea")).toBe(true);

    const grinders = await list("q=GRINDER");
    expect(grinders.data.map((p) => p.name)).toEqual(["Hand Grinder"]);

    const soldOut = await walk("limit=100&inStock=false");
    expect(soldOut.every((p) => p.stock?.available === 0)).toBe(true);
    expect(soldOut.map((p) => p.name)).toEqual(
      expect.arrayContaining(["Swiss Water Decaf 250 g", "Earl Grey 100 g", "Brew Timer"]),
    );
    const inStock = await walk("limit=100&inStock=true");
    expect(inStock.every((p) => (p.stock?.available ?? 0) > 0)).toBe(true);

    const midRange = await walk("limit=100&minPrice=2000&maxPrice=3000");
    expect(midRange.length).toBeGreaterThan(0);
    expect(midRange.every((p) => (p.price?.amount ?? 0) >= 2000 && (p.price?.amount ?? 0) <= 3000)).toBe(true);
  });

  it("shows each product as GET /api/v2/products/{id} does, timestamps to the millisecond", async () => {
    // The list reads its rows in one hand-written statement, the single product through Prisma's
    // model queries: the two must not drift apart (timestamps are written with microseconds).
    await request(t.app).get("/api/v2/products/1").expect(200);
    const page = await list("limit=100&include=category");
    expect(page.data.length).toBeGreaterThanOrEqual(24);
    for (const product of page.data) {
      const one = await request(t.app).get(`/api/v2/products/${product.id}?include=category`).expect(200);
      expect(product).toEqual(one.body);
    }
  });

  it("answers only the asked fields (and id) with fields=", async () => {
    const page = await list("limit=3&fields=name,price");
    for (const product of page.data) expect(Object.keys(product).sort()).toEqual(["id", "name", "price"]);
  });

  it("rejects bad parameters naming each one", async () => {
    const res = await request(t.app).get("/api/v2/products?limit=0&sort=color&fields=secret&cursor=nope&inStock=maybe");
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { parameter: string }) => e.parameter).sort()).toEqual(["fields", "inStock", "limit", "sort"]);
    const badCursor = await request(t.app).get("/api/v2/products?cursor=bm90LWEtY3Vyc29y");
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.errors).toEqual([expect.objectContaining({ parameter: "cursor" })]);
    const unknown = await request(t.app).get("/api/v2/products?colour=red");
    expect(unknown.status).toBe(400);
  });
});

describe("versions", () => {
  it("negotiates /api by Accept, defaulting to v1, and refuses unknown versions with 406", async () => {
    const v2 = await request(t.app).get("/api/products/1").set("Accept", "application/vnd.stockroom.v2+json");
    expect(v2.headers["content-type"]).toMatch(/^application\/vnd\.stockroom\.v2\+json/);
    expect(v2.headers.vary).toMatch(/Accept/);
    expect(v2.body.price).toEqual({ amount: expect.any(Number), currency: "EUR" });

    const param = await request(t.app).get("/api/products/1").set("Accept", "application/json; version=2");
    expect(param.body.price).toEqual(v2.body.price);

    const plain = await request(t.app).get("/api/products/1");
    expect(plain.headers["content-type"]).toMatch(/^application\/vnd\.stockroom\.v1\+json/);
    expect(plain.body.price).toMatch(/^\d+\.\d{2}$/);

    const unsupported = await request(t.app).get("/api/products/1").set("Accept", "application/vnd.stockroom.v9+json");
    expect(unsupported.status).toBe(406);
    expect(unsupported.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(unsupported.body.detail).toContain("application/vnd.stockroom.v2+json");
  });

  it("marks every v1 answer deprecated with a sunset date and a link to v2", async () => {
    const res = await request(t.app).get("/api/v1/products/2");
    expect(res.headers.deprecation).toMatch(/^@\d+$/);
    expect(new Date(String(res.headers.sunset)).getTime()).toBeGreaterThan(Date.now());
    expect(res.headers.link).toContain('</api/v2/products/2>; rel="successor-version"');
    const v2 = await request(t.app).get("/api/v2/products/2");
    expect(v2.headers.deprecation).toBeUndefined();
  });
});

describe("conditional requests", () => {
  it("answers 304 to If-None-Match with the current ETag, and a new ETag after stock moves", async () => {
    const first = await request(t.app).get("/api/v2/products/3");
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"v\d+-[0-9a-f]+"$/);
    const again = await request(t.app).get("/api/v2/products/3").set("If-None-Match", String(etag));
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
    // A write made past the core (as another process would) reaches the response cache with its
    // change announcement, milliseconds later; until then the kept answer may still be served.
    await t.prisma.$executeRaw`UPDATE stock_levels SET version = version + 1 WHERE product_id = 3`;
    const read = () => request(t.app).get("/api/v2/products/3").set("If-None-Match", String(etag));
    await expect.poll(async () => (await read()).status, { timeout: 5_000 }).toBe(200);
    const changed = await read();
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const list = await request(t.app).get("/api/v2/products");
    const listAgain = await request(t.app).get("/api/v2/products").set("If-None-Match", String(list.headers.etag));
    expect(listAgain.status).toBe(304);
  });
});

describe("documentation", () => {
  it("serves both OpenAPI documents, Swagger UI and Redoc without a CDN", async () => {
    for (const version of [1, 2]) {
      const doc = await request(t.app).get(`/api/v${version}/openapi.json`);
      expect(doc.status).toBe(200);
      expect(doc.body.openapi).toBe("3.1.0");
      expect(doc.body.components.securitySchemes.oauth2.flows).toHaveProperty("authorizationCode");
    }
    const swagger = await request(t.app).get("/docs/");
    expect(swagger.status).toBe(200);
    const init = await request(t.app).get("/docs/swagger-ui-init.js");
    expect(init.text).toContain("/api/v2/openapi.json");
    expect(init.text).toContain("usePkceWithAuthorizationCodeGrant");
    const redoc = await request(t.app).get("/redoc?v=1");
    expect(redoc.text).toContain('spec-url="/api/v1/openapi.json"');
    expect(redoc.text).not.toMatch(/https?:\/\/(cdn|unpkg|cdnjs)/);
    expect((await request(t.app).get("/redoc/assets/redoc.standalone.js")).status).toBe(200);
  });
});

describe("the OpenAPI documents", () => {
  it("matched every answer given above (checked by the response validator)", () => {
    const mismatches = t.logLines.filter((line) => line.msg === "response does not match the OpenAPI document");
    expect(mismatches).toEqual([]);
  });
});

describe("methods", () => {
  it("answers a known path asked with an unsupported method with 405 and Allow", async () => {
    const res = await request(t.app).put("/api/v2/products/1").send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe("GET, PATCH, DELETE, HEAD");
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("MethodNotAllowed");
    expect((await request(t.app).delete("/api/v1/categories")).headers.allow).toBe("GET, POST, HEAD");
    expect((await request(t.app).put("/api/v2/no-such-path").send({})).status).toBe(404);
  });
});
