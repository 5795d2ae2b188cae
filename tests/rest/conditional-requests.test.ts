import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";

// Conditional requests as RFC 9110 §13 has them, through Node's own fetch() against a listening
// server: fetch() adds `Cache-Control: no-cache` to every request carrying If-None-Match, which
// must not keep an origin from answering 304 (no-cache is addressed to caches, RFC 9111 §5.2.1.4).
let server: IdentityServer;
let staff: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read");
});
afterAll(() => server.stop());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.publicUrl}${path}`, { headers });
const write = (method: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.publicUrl}${path}`, {
    method,
    headers: { Authorization: `Bearer ${staff}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

async function etagOf(path: string): Promise<string> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  const etag = res.headers.get("etag");
  expect(etag, path).toBeTruthy();
  return String(etag);
}

async function firstProductId(): Promise<number> {
  const list = (await (await get("/api/v2/products?limit=1")).json()) as { data: { id: number }[] };
  return list.data[0]?.id ?? 0;
}

describe("If-None-Match (RFC 9110 §13.1.2)", () => {
  it("answers fetch()'s conditional GETs with 304, cached answers and fresh ones alike", async () => {
    const paths = [
      "/api/v2/products?limit=3", // response cache: the second read is a kept answer
      "/api/v2/products/1?include=category",
      "/api/v1/products/1",
      "/api/products/1",
      "/api/v2/categories",
      "/api/v2/posts", // not cached
      "/api/v2/products/1/stock",
      "/api/v2/openapi.json",
    ];
    for (const path of paths) {
      const etag = await etagOf(path);
      await etagOf(path); // now kept, where the path is cacheable
      const variants: Record<string, string>[] = [
        { "If-None-Match": etag },
        { "If-None-Match": etag, "Cache-Control": "no-cache", Pragma: "no-cache" },
      ];
      for (const headers of variants) {
        const res = await get(path, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(304);
        expect(res.headers.get("etag")).toBe(etag);
        expect(await res.text()).toBe("");
      }
    }
  });

  it("takes a list, compares weakly and honours *", async () => {
    const etag = await etagOf("/api/v2/products/2");
    const weak = `W/${etag}`;
    for (const header of [`"nope", ${etag}`, weak, `W/"other",${weak}`, "*", ` ${etag} , "x,y"`]) {
      expect((await get("/api/v2/products/2", { "If-None-Match": header })).status, header).toBe(304);
    }
    for (const header of ['"nope"', `W/"v1-0"`, "not-a-tag", etag.slice(0, -2) + '"']) {
      const res = await get("/api/v2/products/2", { "If-None-Match": header });
      expect(res.status, header).toBe(200);
      expect(res.headers.get("etag")).toBe(etag);
    }
    // If-None-Match decides, and If-Modified-Since is then ignored (RFC 9110 §13.2.2).
    const both = await get("/api/v2/products/2", { "If-None-Match": '"nope"', "If-Modified-Since": new Date().toUTCString() });
    expect(both.status).toBe(200);
    // No current representation: `*` does not match, the 404 stands.
    expect((await get("/api/v2/products/999999", { "If-None-Match": "*" })).status).toBe(404);
  });
});

describe("ETags cover everything that shapes the bytes", () => {
  it("changes the ETag of a product with its embedded category when the category is renamed", async () => {
    const path = "/api/v2/products/1?include=category";
    const first = await get(path);
    const before = (await first.json()) as { categoryId: number; category: { name: string } };
    const etag = String(first.headers.get("etag"));
    expect((await get(path, { "If-None-Match": etag })).status).toBe(304);

    const renamed = await write("PATCH", `/api/v2/categories/${before.categoryId}`, {
      name: `${before.category.name} (renamed)`,
    });
    expect(renamed.status).toBe(200);

    const revalidated = await get(path, { "If-None-Match": etag });
    expect(revalidated.status).toBe(200);
    const after = (await revalidated.json()) as { category: { name: string } };
    expect(after.category.name).toBe(`${before.category.name} (renamed)`);
    expect(revalidated.headers.get("etag")).not.toBe(etag);
    expect((await get(path, { "If-None-Match": String(revalidated.headers.get("etag")) })).status).toBe(304);
  });

  it("gives every view of a resource its own ETag: v1, v2, include=category, fields=", async () => {
    const views = [
      "/api/v1/products/3",
      "/api/v2/products/3",
      "/api/v2/products/3?include=category",
      "/api/v2/products?limit=5",
      "/api/v2/products?limit=5&fields=name",
      "/api/v2/products?limit=5&include=category",
      "/api/v1/categories",
      "/api/v2/categories",
    ];
    const etags = await Promise.all(views.map(etagOf));
    expect(new Set(etags).size).toBe(views.length);
    // The same representation reached by negotiation has the same tag.
    expect(await etagOf("/api/products/3")).toBe(etags[0]);
  });

  it("changes a product's ETag when its stock moves", async () => {
    const id = await firstProductId();
    const etag = await etagOf(`/api/v2/products/${id}`);
    const moved = await write("POST", `/api/v2/products/${id}/stock/adjustments`, { kind: "receive", quantity: 2 });
    expect(moved.status).toBe(201);
    const res = await get(`/api/v2/products/${id}`, { "If-None-Match": etag });
    expect(res.status).toBe(200);
    expect(res.headers.get("etag")).not.toBe(etag);
  });
});

describe("If-Match (RFC 9110 §13.1.1)", () => {
  async function newProduct(sku: string) {
    const categories = (await (await get("/api/v2/categories")).json()) as { data: { id: number }[] };
    const created = await write("POST", "/api/v2/products", {
      sku,
      name: "Conditional mug",
      price: { amount: 1000, currency: "EUR" },
      categoryId: categories.data[0]?.id,
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: number };
    expect(created.headers.get("etag")).toBe(await etagOf(`/api/v2/products/${body.id}`));
    return body.id;
  }
  const nameOf = async (id: number) => ((await (await get(`/api/v2/products/${id}`)).json()) as { name: string }).name;

  it("is true if any listed strong tag names the current version; weak tags never match", async () => {
    const id = await newProduct("IFMATCH-1");
    const etag = await etagOf(`/api/v2/products/${id}`);
    for (const header of [`W/${etag}`, '"v999-0"', '"nope"', `W/"x", W/${etag}`]) {
      const res = await write("PATCH", `/api/v2/products/${id}`, { name: "Lost" }, { "If-Match": header });
      expect(res.status, header).toBe(412);
      expect(((await res.json()) as { code: string }).code).toBe("PreconditionFailed");
    }
    expect(await nameOf(id)).toBe("Conditional mug");
    const listed = await write("PATCH", `/api/v2/products/${id}`, { name: "Listed" }, { "If-Match": `"v999-0", ${etag}` });
    expect(listed.status).toBe(200);
    expect(listed.headers.get("etag")).toBe(await etagOf(`/api/v2/products/${id}`));
    // The tag read before that write is stale now, in a list or not.
    expect((await write("DELETE", `/api/v2/products/${id}`, undefined, { "If-Match": `W/"a", ${etag}` })).status).toBe(412);
    expect((await write("PATCH", `/api/v2/products/${id}`, { name: "Any" }, { "If-Match": "*" })).status).toBe(200);
  });

  it("refuses a malformed If-Match with a 400 naming it, and writes nothing", async () => {
    const id = await newProduct("IFMATCH-2");
    const res = await write("PATCH", `/api/v2/products/${id}`, { name: "Bad" }, { "If-Match": "v1" });
    expect(res.status).toBe(400);
    const problem = (await res.json()) as { errors: { parameter: string }[] };
    expect(problem.errors[0]?.parameter).toBe("If-Match");
    expect(await nameOf(id)).toBe("Conditional mug");
  });

  it("accepts an ETag read from any view while the product itself is unchanged, and only then", async () => {
    const id = await newProduct("IFMATCH-3");
    const withCategory = await etagOf(`/api/v2/products/${id}?include=category`);
    const fromV1 = await etagOf(`/api/v1/products/${id}`);
    // Stock moving and the category being renamed change those bytes, not the product.
    expect((await write("POST", `/api/v2/products/${id}/stock/adjustments`, { kind: "receive", quantity: 1 })).status).toBe(201);
    const category = ((await (await get(`/api/v2/products/${id}`)).json()) as { categoryId: number }).categoryId;
    expect((await write("PATCH", `/api/v2/categories/${category}`, { description: "Renamed meanwhile" })).status).toBe(200);
    expect(await etagOf(`/api/v2/products/${id}?include=category`)).not.toBe(withCategory);

    const first = await write(
      "PATCH",
      `/api/v2/products/${id}`,
      { name: "From the category view" },
      { "If-Match": withCategory },
    );
    expect(first.status).toBe(200);
    // That write moved the product on: both tags read before it are refused now.
    for (const stale of [withCategory, fromV1]) {
      expect((await write("PATCH", `/api/v1/products/${id}`, { name: "Lost" }, { "If-Match": stale })).status).toBe(412);
    }
    expect(await nameOf(id)).toBe("From the category view");
  });
});
