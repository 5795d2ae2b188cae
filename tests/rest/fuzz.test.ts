import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildRestApi } from "../../src/rest/index.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";

// Generated bodies against each write route: whatever the answer, the database changed only if
// the answer was 2xx, and every non-2xx answer is a problem document (never a 500).
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
let url: string;
let token: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  url = db.url;
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  token = await staffToken(server, "catalog:write inventory:write blog:write");
});
afterAll(() => server.stop());

// Mostly near-valid bodies (the interesting edge), plus arbitrary JSON.
const nearProduct = fc.record(
  {
    sku: fc.oneof(fc.stringMatching(/^[A-Z0-9-]{0,70}$/), fc.string(), fc.constant("COF-ESP-250")),
    name: fc.oneof(fc.string({ maxLength: 250 }), fc.integer()),
    description: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null)),
    price: fc.oneof(
      fc.record({
        amount: fc.oneof(fc.integer({ min: -10, max: 2_000_000_000 }), fc.double()),
        currency: fc.oneof(fc.constant("EUR"), fc.string({ maxLength: 4 })),
      }),
      fc.string(),
    ),
    categoryId: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.string()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);
const nearAdjustment = fc.record(
  {
    kind: fc.oneof(fc.constantFrom("receive", "adjust", "reserve", "release", "ship"), fc.string()),
    quantity: fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer(), fc.double(), fc.string()),
    reason: fc.oneof(fc.string({ maxLength: 600 }), fc.constant("")),
    expectedVersion: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.string()),
  },
  { requiredKeys: [] },
);
const anyJson = fc.jsonValue();

async function checkWrite(method: "post" | "patch", path: string, body: unknown) {
  const before = await databaseFingerprint(url);
  const res = await request(t.app)
    [method](path)
    .set("Authorization", `Bearer ${token}`)
    .set("Content-Type", "application/json")
    .send(JSON.stringify(body));
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(500);
  if (res.status >= 300) {
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(await databaseFingerprint(url)).toEqual(before);
  }
}

// Each property makes dozens of requests and fingerprints; the default 60 s is too short on a busy machine.
describe("generated bodies", { timeout: 300_000 }, () => {
  it("POST /api/v2/products", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearProduct, anyJson), (body) => checkWrite("post", "/api/v2/products", body)),
      { numRuns: 60 },
    );
  });
  it("PATCH /api/v2/products/{id}", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearProduct, anyJson), (body) => checkWrite("patch", "/api/v2/products/2", body)),
      { numRuns: 60 },
    );
  });
  it("POST /api/v2/products/{id}/stock/adjustments", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearAdjustment, anyJson), (body) =>
        checkWrite("post", "/api/v2/products/3/stock/adjustments", body),
      ),
      { numRuns: 80 },
    );
  });
  it("POST /api/v2/posts/{id}/comments", async () => {
    const nearComment = fc.record(
      { text: fc.oneof(fc.string({ maxLength: 6000 }), fc.integer()), extra: fc.anything() },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(nearComment, anyJson), (body) => checkWrite("post", "/api/v2/posts/1/comments", body)),
      { numRuns: 40 },
    );
  });
});

// Hostile input across every documented operation of both versions, read from their OpenAPI
// documents so that a new route is covered without a new test: text with NUL or lone surrogates,
// integers past int4, bodies that are not UTF-8 or not what their Content-Encoding says, and
// query strings of arbitrary bytes. Sent as raw bytes to the real listening server.
type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  example?: unknown;
  enum?: unknown[];
};
type Operation = {
  parameters?: { name: string; in: string; schema?: JsonSchema }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
};
type OpenAPIObject = ReturnType<OpenApiGeneratorV31["generateDocument"]>;
type Route = { version: number; method: string; path: string; operation: Operation; document: OpenAPIObject };

function routesOf(): Route[] {
  const { versions } = buildRestApi(t.modules);
  return Object.values(versions).flatMap((api) => {
    const document = new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
      openapi: "3.1.0",
      info: { title: "fuzz", version: String(api.version) },
    });
    return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, Operation>).map(([method, operation]) => ({
        version: api.version,
        method,
        path,
        operation,
        document,
      })),
    );
  });
}

const resolve = (schema: JsonSchema, document: OpenAPIObject): JsonSchema =>
  schema.$ref ? (document.components?.schemas?.[schema.$ref.split("/").at(-1) ?? ""] as JsonSchema) : schema;

// Any UTF-16 code unit, so lone surrogates and NUL come up often.
const anyCodeUnits = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 12 });
const hostileText = fc.oneof(
  anyCodeUnits,
  fc
    .tuple(fc.string({ maxLength: 8 }), fc.constantFrom("\u0000", "\ud800", "\udfff", "\udc00\ud800"))
    .map(([s, bad]) => s + bad + s),
);
const pastInt4 = fc.oneof(
  fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: -(2 ** 31) - 1 }),
  fc.constantFrom(2_147_483_647, 2_147_483_648, -2_147_483_649, 9_999_999_999, 1e300),
);
const hostileValue = fc.oneof(hostileText, pastInt4);

/** Near-valid values (each field's documented example, or a plausible one), some replaced by hostile ones. */
function bodyFor(schema: JsonSchema, document: OpenAPIObject): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, document);
  if (resolved.properties) {
    const fields = Object.fromEntries(
      Object.entries(resolved.properties).map(([name, field]) => [name, bodyFor(field, document)]),
    );
    return fc.record(fields, { requiredKeys: [] });
  }
  const plausible =
    resolved.example !== undefined
      ? fc.constant(resolved.example)
      : resolved.enum
        ? fc.constantFrom(...resolved.enum)
        : resolved.type === "integer"
          ? fc.integer({ min: 1, max: 3 })
          : fc.string({ maxLength: 8 });
  return fc.oneof({ arbitrary: plausible, weight: 3 }, { arbitrary: hostileValue, weight: 1 });
}

const percentEncoded = (bytes: Uint8Array) => [...bytes].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
const hostileQueryValue = fc.oneof(
  fc.uint8Array({ maxLength: 12 }).map(percentEncoded),
  hostileText.map((s) => percentEncoded(Buffer.from(s))),
  pastInt4.map(String),
  // Cursors as the unsigned ones of old looked, and as forged signed ones.
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc
    .tuple(fc.jsonValue(), fc.uint8Array({ minLength: 32, maxLength: 32 }))
    .map(([v, tag]) => `${Buffer.from(JSON.stringify(v)).toString("base64url")}.${Buffer.from(tag).toString("base64url")}`),
);

async function concretePath(route: Route): Promise<string> {
  const [product, category, post] = await Promise.all([
    t.prisma.product.findFirst({ orderBy: { id: "asc" } }),
    t.prisma.category.findFirst({ orderBy: { id: "asc" } }),
    t.prisma.post.findFirst({ orderBy: { id: "asc" }, include: { comments: { take: 1 } } }),
  ]);
  return `/api/v${route.version}${route.path}`
    .replace("/products/{id}", `/products/${product?.id ?? 1}`)
    .replace("/categories/{id}", `/categories/${category?.id ?? 1}`)
    .replace("{postId}", String(post?.id ?? 1))
    .replace("{commentId}", String(post?.comments[0]?.id ?? 1));
}

/** Sends raw bytes to the real server; every non-2xx must be a problem document and leave the database as it was. */
async function checkRaw(method: string, path: string, headers: Record<string, string>, body?: Uint8Array) {
  const before = await databaseFingerprint(url);
  const res = await fetch(`${server.api.replace(/\/api$/, "")}${path}`, {
    method: method.toUpperCase(),
    headers: { Authorization: `Bearer ${token}`, ...headers },
    ...(body ? { body } : {}),
  });
  const text = await res.text();
  expect(res.status, `${method} ${path}: ${text}`).toBeLessThan(500);
  if (res.status >= 300 && res.status !== 304) {
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    const after = await databaseFingerprint(url);
    expect(
      Object.keys(after).filter((table) => after[table]?.md5 !== before[table]?.md5),
      `${method} ${path}: ${text}`,
    ).toEqual([]);
  }
}

describe("hostile input on every documented operation", { timeout: 300_000 }, () => {
  const json = { "Content-Type": "application/json" };

  it("bodies with hostile text and integers past int4, on every v1 and v2 write route", async () => {
    const writes = routesOf().filter((r) => r.operation.requestBody);
    expect(writes.length).toBeGreaterThan(8);
    for (const route of writes) {
      const schema = route.operation.requestBody?.content["application/json"]?.schema ?? {};
      const path = await concretePath(route);
      await fc.assert(
        fc.asyncProperty(bodyFor(schema, route.document), (body) =>
          checkRaw(route.method, path, json, Buffer.from(JSON.stringify(body))),
        ),
        { numRuns: 10 },
      );
    }
  });

  it("bodies that are not UTF-8, or not what their Content-Encoding says, on every write route", async () => {
    const writes = routesOf().filter((r) => r.operation.requestBody);
    const paths = await Promise.all(writes.map(async (r) => [r.method, await concretePath(r)] as const));
    const notUtf8 = fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => [0xff, ...b]),
      )
      .map(([s, bad]) => Buffer.concat([Buffer.from(`{"name":"${s.replaceAll('"', "")}`), Buffer.from(bad), Buffer.from('"}')]));
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.oneof(
          notUtf8.map((bytes) => ({ headers: json, bytes })),
          fc.tuple(fc.constantFrom("gzip", "deflate", "br"), fc.uint8Array({ maxLength: 40 })).map(([encoding, bytes]) => ({
            headers: { ...json, "Content-Encoding": encoding },
            bytes: Buffer.from(bytes),
          })),
        ),
        ([method, path], { headers, bytes }) => checkRaw(method, path, headers, bytes),
      ),
      { numRuns: 40 },
    );
  });

  it("query strings of hostile bytes, on every query parameter of every read", async () => {
    const reads = routesOf().filter((r) => r.method === "get" && r.operation.parameters?.some((p) => p.in === "query"));
    expect(reads.length).toBeGreaterThan(4);
    for (const route of reads) {
      const names = (route.operation.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
      const path = await concretePath(route);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), hostileQueryValue, (name, value) =>
          checkRaw("get", `${path}?${name}=${value}`, {}),
        ),
        { numRuns: 12 },
      );
    }
  });
});
