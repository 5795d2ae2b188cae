import fc from "fast-check";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("generated bodies", () => {
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
