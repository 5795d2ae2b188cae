import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.js";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// CORS preflights and answers as a browser sends them (Origin, Access-Control-Request-*), over
// a listening server, for the allow-listed origin and for another one.
const allowedOrigin = "http://localhost:5173";
const otherOrigin = "http://evil.example";
let base: string;

beforeAll(async () => {
  const db = await seededDatabase();
  const t = await createTestApp(db.url, { env: { CORS_ORIGINS: `${allowedOrigin}, https://admin.example.com` } });
  await new Promise<void>((resolve) => t.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
});

const preflight = (origin: string, method: string, headers: string) =>
  fetch(`${base}/api/v2/products/1`, {
    method: "OPTIONS",
    headers: { Origin: origin, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": headers },
  });

const corsHeaders = (res: Response) => [...res.headers.keys()].filter((name) => name.startsWith("access-control-"));
const listed = (value: string | null) => new Set((value ?? "").split(",").map((name) => name.trim().toLowerCase()));

describe("CORS for /api", () => {
  it("answers an allowed origin's preflight for the headers our operations read", async () => {
    const res = await preflight(allowedOrigin, "PATCH", "authorization,content-type,if-match,if-none-match,idempotency-key");
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowedOrigin);
    expect(listed(res.headers.get("access-control-allow-methods"))).toEqual(new Set(["get", "head", "post", "patch", "delete"]));
    const allowedHeaders = listed(res.headers.get("access-control-allow-headers"));
    for (const name of ["authorization", "content-type", "if-match", "if-none-match", "idempotency-key"]) {
      expect(allowedHeaders, name).toContain(name);
    }
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
  });

  it("lets the allowed origin read our headers on answers, errors included", async () => {
    const res = await fetch(`${base}/api/v1/products/1`, { headers: { Origin: allowedOrigin } });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe(allowedOrigin);
    const exposed = listed(res.headers.get("access-control-expose-headers"));
    for (const name of ["etag", "link", "location", "deprecation", "sunset", "warning", "x-request-id", "retry-after"]) {
      expect(exposed, name).toContain(name);
    }
    expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
    const unauthorized = await fetch(`${base}/api/v2/me`, { headers: { Origin: allowedOrigin, Authorization: "Bearer nope" } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get("access-control-allow-origin")).toBe(allowedOrigin);
    const second = await fetch(`${base}/api/v2/categories`, { headers: { Origin: "https://admin.example.com" } });
    expect(second.headers.get("access-control-allow-origin")).toBe("https://admin.example.com");
  });

  it("gives any other origin no CORS headers, and no server error", async () => {
    const res = await preflight(otherOrigin, "PATCH", "authorization,if-match");
    expect(res.status).toBeLessThan(500);
    expect(corsHeaders(res)).toEqual([]);
    expect(res.headers.get("vary")).toMatch(/\bOrigin\b/);
    const read = await fetch(`${base}/api/v2/products/1`, { headers: { Origin: otherOrigin } });
    expect(read.status).toBe(200);
    expect(corsHeaders(read)).toEqual([]);
    expect(read.headers.get("vary")).toMatch(/\bOrigin\b/);
    const noOrigin = await fetch(`${base}/api/v2/products/1`);
    expect(corsHeaders(noOrigin)).toEqual([]);
  });
});

describe("CORS_ORIGINS", () => {
  const env = (extra: Record<string, string>) => loadConfig({ DATABASE_URL: "postgres://x/y", ...extra });
  it("defaults to the Vite dev server in development and to nothing in production", () => {
    expect(env({}).corsOrigins).toEqual(["http://localhost:5173"]);
    expect(env({ NODE_ENV: "production" }).corsOrigins).toEqual([]);
    expect(env({ NODE_ENV: "production", CORS_ORIGINS: "https://a.example, https://b.example:8443" }).corsOrigins).toEqual([
      "https://a.example",
      "https://b.example:8443",
    ]);
  });
  it("refuses an entry that is not an origin, naming the variable", () => {
    for (const bad of ["https://a.example/", "https://a.example/app", "localhost:5173", "ftp://a.example"]) {
      expect(() => env({ CORS_ORIGINS: bad }), bad).toThrow(/CORS_ORIGINS/);
    }
  });
});
