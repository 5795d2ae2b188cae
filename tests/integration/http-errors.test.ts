import request from "supertest";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";

let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  const db = await createTestDatabase();
  t = await createTestApp(db.url, { env: { BODY_LIMIT_BYTES: "2048" } });
  await seedDemoData(t.prisma);
});

function expectProblem(res: request.Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, code, type: expect.stringMatching(/^\/problems\//), title: expect.any(String) });
  expect(res.body.detail).toEqual(expect.any(String));
  expect(res.body.instance).toEqual(expect.any(String));
  expect(JSON.stringify(res.body)).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
}

describe("every error is problem+json", () => {
  it("answers an unknown route with 404", async () => {
    const res = await request(t.app).get("/api/v1/no-such-thing");
    expectProblem(res, 404, "NotFound");
    expect(res.body.instance).toBe("/api/v1/no-such-thing");
  });

  it("answers malformed JSON with 400", async () => {
    const res = await request(t.app).post("/api/v1/products").set("Content-Type", "application/json").send('{"name": "tea",');
    expectProblem(res, 400, "MalformedBody");
  });

  it("answers a body over the limit with 413", async () => {
    const res = await request(t.app)
      .post("/api/v1/products")
      .set("Content-Type", "application/json")
      .send(JSON.stringify({ description: "x".repeat(4096) }));
    expectProblem(res, 413, "PayloadTooLarge");
    expect(res.body.detail).toContain("2048");
  });

  it("answers a non-JSON body with 415", async () => {
    const res = await request(t.app).post("/api/v1/products").set("Content-Type", "text/plain").send("name=tea");
    expectProblem(res, 415, "UnsupportedMediaType");
  });

  it("answers invalid query parameters with 400 naming each parameter", async () => {
    const res = await request(t.app).get("/api/v1/products?page=0&page_size=1000");
    expectProblem(res, 400, "ValidationFailed");
    expect(res.body.errors.map((e: { parameter: string }) => e.parameter).sort()).toEqual(["page", "page_size"]);
  });

  it("answers a non-numeric id with 400 and an unknown id with 404", async () => {
    expectProblem(await request(t.app).get("/api/v1/products/abc"), 400, "ValidationFailed");
    expectProblem(await request(t.app).get("/api/v1/products/999999"), 404, "NotFound");
  });
});

describe("request ids", () => {
  it("echoes an incoming X-Request-Id and logs it with method, path, status and duration", async () => {
    const res = await request(t.app).get("/api/v1/products/1").set("X-Request-Id", "trace-abc-123");
    expect(res.status).toBe(200);
    expect(res.headers["x-request-id"]).toBe("trace-abc-123");
    // The access line is written when the response closes, which may be just after the client has it.
    const line = await vi.waitFor(() => {
      const found = t.logLines.find((l) => l.requestId === "trace-abc-123");
      if (!found) throw new Error(`no log line yet: ${JSON.stringify(t.logLines.slice(-2))}`);
      return found;
    });
    expect(line).toMatchObject({ req: { method: "GET", path: "/api/v1/products/1" }, res: { status: 200 } });
    expect(line?.durationMs).toEqual(expect.any(Number));
  });

  it("generates an id when none (or an unsafe one) is sent", async () => {
    const plain = await request(t.app).get("/healthz");
    expect(plain.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(t.app).get("/healthz").set("X-Request-Id", "bad id\twith spaces");
    expect(unsafe.headers["x-request-id"]).not.toBe("bad id\twith spaces");
    expect(unsafe.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("health", () => {
  it("reports the process up and the database ready", async () => {
    expect((await request(t.app).get("/healthz")).body.status).toBe("ok");
    const ready = await request(t.app).get("/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: "ready", database: "up", pendingMigrations: [] });
  });
});
