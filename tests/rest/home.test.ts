import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// `/` leads somewhere until the React client replaces it: an HTML page for browsers, a JSON
// index for API clients, and every link on either answers.
let t: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  const db = await seededDatabase();
  t = await createTestApp(db.url);
});

const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

describe("GET /", () => {
  it("gives API clients a JSON index whose every link answers 200", async () => {
    for (const accept of [undefined, "*/*", "application/json"]) {
      const req = request(t.app).get("/");
      const res = await (accept ? req.set("Accept", accept) : req);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers.vary).toMatch(/\bAccept\b/);
      expect(res.body.links.map((link: { href: string }) => new URL(link.href, "http://x").pathname)).toEqual(
        expect.arrayContaining([
          "/docs",
          "/redoc",
          "/docs/realtime",
          "/api/v2/openapi.json",
          "/api/v2/products",
          "/oauth/.well-known/openid-configuration",
        ]),
      );
    }
    const index = await request(t.app).get("/");
    for (const { href } of index.body.links as { href: string }[]) {
      const target = await request(t.app).get(new URL(href, "http://x").pathname).redirects(1);
      expect(target.status, href).toBe(200);
    }
  });

  it("gives browsers an HTML page linking the same places", async () => {
    const res = await request(t.app).get("/").set("Accept", browser);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toBe("default-src 'none'");
    const index = await request(t.app).get("/");
    for (const { href } of index.body.links as { href: string }[]) expect(res.text).toContain(`href="${href}"`);
  });
});
