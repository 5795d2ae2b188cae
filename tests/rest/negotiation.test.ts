import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// Accept negotiation (RFC 9110 §12.5.1) with q-values, parameters and wildcards.
let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  const db = await seededDatabase();
  t = await createTestApp(db.url);
});

const v1Type = /^application\/vnd\.stockroom\.v1\+json/;
const v2Type = /^application\/vnd\.stockroom\.v2\+json/;

async function versionAnswered(path: string, accept?: string) {
  const req = request(t.app).get(path);
  const res = await (accept === undefined ? req : req.set("Accept", accept));
  expect(String(res.headers.vary), `${path} ${accept}`).toMatch(/\bAccept\b/);
  if (res.status === 406) {
    expect(res.headers["content-type"]).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe("NotAcceptable");
    expect(res.body.errors[0].parameter).toBe("Accept");
    return 406;
  }
  expect(res.status, `${path} ${accept}: ${res.text}`).toBe(200);
  const type = String(res.headers["content-type"]);
  if (v1Type.test(type)) return 1;
  if (v2Type.test(type)) return 2;
  throw new Error(`unexpected Content-Type ${type}`);
}

const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

describe("/api without a version", () => {
  it.each([
    [undefined, 1],
    ["*/*", 1],
    ["application/*", 1],
    ["application/json", 1],
    ["application/json; charset=utf-8", 1],
    [browser, 1],
    ["application/vnd.stockroom.v2+json", 2],
    ["application/json; version=2", 2],
    ['application/json; version="2"', 2],
    ["application/vnd.stockroom.v1+json;q=0.1, application/vnd.stockroom.v2+json", 2],
    ["application/vnd.stockroom.v3+json, application/vnd.stockroom.v2+json", 2],
    ["*/*;q=0.1, application/vnd.stockroom.v2+json", 2],
    ["application/json, application/vnd.stockroom.v2+json;q=0", 1],
    ["application/vnd.stockroom.v2+json;q=0", 406],
    ["application/vnd.stockroom.v9+json", 406],
    ["application/json; version=3", 406],
    ["text/html", 406],
    ["text/html, application/json;q=0.5", 1],
  ] as const)("Accept %s answers %s", async (accept, expected) => {
    expect(await versionAnswered("/api/products/1", accept)).toBe(expected);
  });

  it("names the supported media types when nothing is acceptable", async () => {
    const res = await request(t.app).get("/api/products/1").set("Accept", "text/html");
    expect(res.status).toBe(406);
    for (const type of [
      "application/vnd.stockroom.v1+json",
      "application/vnd.stockroom.v2+json",
      "application/json; version=2",
    ]) {
      expect(res.body.detail).toContain(type);
    }
  });
});

describe("/api/v1 and /api/v2: the path picks the version, Accept must still allow it", () => {
  it.each([
    ["/api/v2/products/1", undefined, 2],
    ["/api/v2/products/1", "application/json", 2],
    ["/api/v2/products/1", browser, 2],
    ["/api/v2/products/1", "application/vnd.stockroom.v2+json", 2],
    ["/api/v2/products/1", "text/html", 406],
    ["/api/v2/products/1", "application/vnd.stockroom.v1+json", 406],
    ["/api/v2/products/1", "application/json; version=1", 406],
    ["/api/v1/products/1", "application/json; version=1", 1],
    ["/api/v1/products/1", "application/vnd.stockroom.v2+json", 406],
    ["/api/v1/products/1", "image/png", 406],
  ] as const)("%s with Accept %s answers %s", async (path, accept, expected) => {
    expect(await versionAnswered(path, accept)).toBe(expected);
  });
});
