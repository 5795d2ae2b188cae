import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { setFlagsFromString } from "node:v8";
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";

// src/http/express-server.ts: the app's server creates requests and responses with the app's
// prototypes, so Express's re-parenting is a no-op and every request shares its hidden class
// (V8 gave each one a class of its own otherwise, which cost a third of an uncached list's CPU).
setFlagsFromString("--allow-natives-syntax");
const haveSameShape = new Function("a", "b", "return %HaveSameMap(a, b)") as (a: object, b: object) => boolean;

let t: Awaited<ReturnType<typeof createTestApp>>;
let base: string;
const seen: { req: IncomingMessage; res: ServerResponse; prototypes: [object, object] }[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  t = await createTestApp(db.url);
  await seedDemoData(t.prisma);
  t.server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ req, res, prototypes: [Object.getPrototypeOf(req), Object.getPrototypeOf(res)] });
  });
  await new Promise<void>((resolve) => t.server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
});

describe("the app's HTTP server", () => {
  it("hands Express requests and responses that already have the app's prototypes", async () => {
    seen.length = 0;
    const res = await fetch(`${base}/api/v2/products?limit=2&include=category`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { data: unknown[] }).data).toHaveLength(2);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.prototypes).toEqual([t.app.request, t.app.response]);
  });

  it("gives requests to the same route one shared shape", async () => {
    seen.length = 0;
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${base}/api/v2/products?limit=2&include=category`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
    }
    const [first, ...rest] = seen;
    if (!first) throw new Error("no request seen");
    expect(rest.map((s) => haveSameShape(s.req, first.req))).toEqual([true, true, true]);
    expect(rest.map((s) => haveSameShape(s.res, first.res))).toEqual([true, true, true]);
  });
});
