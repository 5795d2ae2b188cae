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

type Operation = { operationId: string; responses: Record<string, unknown>; security?: Record<string, string[]>[] };
type Document = { paths: Record<string, Record<string, Operation>> };

describe("every documented read", () => {
  it("answers as documented, for both versions, and the answers match the schemas", async () => {
    let walked = 0;
    for (const version of [1, 2]) {
      const document = (await request(t.app).get(`/api/v${version}/openapi.json`)).body as Document;
      for (const [path, item] of Object.entries(document.paths)) {
        const read = item.get;
        if (!read) continue;
        const url = `/api/v${version}${path.replace(/\{[^}]+\}/g, "1")}`;
        const res = await request(t.app).get(url);
        expect(Object.keys(read.responses), `${read.operationId} ${url}`).toContain(String(res.status));
        // No requirement (or an empty one) means public: a token is optional.
        const anonymousAllowed =
          !read.security?.length || read.security.some((requirement) => Object.keys(requirement).length === 0);
        if (anonymousAllowed) expect(res.status, `${url}: ${JSON.stringify(res.body)}`).toBe(200);
        else expect(res.status).toBe(401);
        walked++;
      }
    }
    expect(walked).toBeGreaterThanOrEqual(15);
    expect(t.logLines.filter((line) => line.msg === "response does not match the OpenAPI document")).toEqual([]);
  });
});
