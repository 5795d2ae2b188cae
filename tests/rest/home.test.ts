import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// `/` leads somewhere: the React client for browsers (a page of links when it is not built), a
// JSON index for API clients, and every link on either answers.
let t: Awaited<ReturnType<typeof createTestApp>>;
let withClient: Awaited<ReturnType<typeof createTestApp>>;

beforeAll(async () => {
  const db = await seededDatabase();
  // Two apps on one database: one without a built client, one with a small stand-in build.
  const scratch = await mkdtemp(path.join(tmpdir(), "stockroom-web-"));
  const dist = path.join(scratch, "dist");
  await mkdir(path.join(dist, "assets"), { recursive: true });
  await writeFile(
    path.join(dist, "index.html"),
    '<!doctype html><title>Stockroom</title><script type="module" src="/assets/app-1a2b.js"></script>',
  );
  await writeFile(path.join(dist, "assets", "app-1a2b.js"), "export {};");
  t = await createTestApp(db.url, { env: { WEB_DIST_DIR: path.join(scratch, "not-built") } });
  withClient = await createTestApp(db.url, { env: { WEB_DIST_DIR: dist } });
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

  it("gives browsers the built client at / and at its own pages, with a same-origin CSP; its assets are cached for good", async () => {
    for (const page of ["/", "/callback?code=x&state=y", "/developers", "/blog", "/blog/3"]) {
      const res = await request(withClient.app).get(page).set("Accept", browser);
      expect(res.status, page).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.text).toContain('src="/assets/app-1a2b.js"');
      expect(res.headers["content-security-policy"]).toContain("default-src 'self'");
      expect(res.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
      expect(res.headers["cache-control"]).toBe("no-cache");
    }
    const asset = await request(withClient.app).get("/assets/app-1a2b.js");
    expect(asset.status).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await request(withClient.app).get("/assets/missing.js")).status).toBe(404);
    // API clients still get the index, and unknown paths stay 404s.
    expect((await request(withClient.app).get("/").set("Accept", "application/json")).body.name).toBe("Stockroom");
    expect((await request(withClient.app).get("/nowhere").set("Accept", browser)).status).toBe(404);
  });

  it("gives browsers an HTML page linking the same places when the client is not built", async () => {
    const res = await request(t.app).get("/").set("Accept", browser);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.headers["content-security-policy"]).toBe("default-src 'none'");
    const index = await request(t.app).get("/");
    for (const { href } of index.body.links as { href: string }[]) expect(res.text).toContain(`href="${href}"`);
  });
});
