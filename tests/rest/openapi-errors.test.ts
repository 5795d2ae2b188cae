import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { errorCatalog, problemSlug } from "../../src/errors.js";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

// What the OpenAPI documents show for errors and security: each error response's examples
// are that status's own problems, as the server really answers them; public reads look public.
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  const db = await seededDatabase();
  t = await createTestApp(db.url);
});

type Example = { summary: string; value: { type: string; title: string; status: number; code: keyof typeof errorCatalog } };
type Operation = {
  operationId: string;
  description: string;
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { examples?: Record<string, Example> }> }>;
};
type Document = { paths: Record<string, Record<string, Operation>> };

const documents = async () =>
  Promise.all([1, 2].map(async (version) => (await request(t.app).get(`/api/v${version}/openapi.json`)).body as Document));
const operations = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, op]) => ({ path, method, op })));

describe("documented errors", () => {
  it("show, under every error status, examples of that status's own problems", async () => {
    let checked = 0;
    for (const document of await documents()) {
      for (const { path, method, op } of operations(document)) {
        for (const [status, response] of Object.entries(op.responses)) {
          if (Number(status) < 400) continue;
          const examples = Object.entries(response.content?.["application/problem+json"]?.examples ?? {});
          expect(examples.length, `${method} ${path} ${status}`).toBeGreaterThan(0);
          for (const [name, example] of examples) {
            const spec = errorCatalog[example.value.code];
            expect(name).toBe(example.value.code);
            expect(example.value.status, `${method} ${path} ${status} ${name}`).toBe(Number(status));
            expect(spec.status).toBe(Number(status));
            expect(example.value.type).toBe(`/problems/${problemSlug(example.value.code)}`);
            expect(example.value.title).toBe(spec.title);
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("match what the server really answers", async () => {
    const [, v2] = await documents();
    const documented = (path: string, method: string, status: number) =>
      Object.values(
        v2?.paths[path]?.[method]?.responses[String(status)]?.content?.["application/problem+json"]?.examples ?? {},
      ).map((example) => example.value);
    const answers = [
      { path: "/products/{id}", method: "get", res: await request(t.app).get("/api/v2/products/999999") },
      { path: "/products/{id}", method: "get", res: await request(t.app).get("/api/v2/products/1").set("Accept", "text/html") },
      {
        path: "/products/{id}",
        method: "get",
        res: await request(t.app).get("/api/v2/products/1").set("Authorization", "Bearer not-a-token"),
      },
      { path: "/products", method: "get", res: await request(t.app).get("/api/v2/products?limit=1000") },
      { path: "/products/{id}", method: "patch", res: await request(t.app).patch("/api/v2/products/1").send({ name: "x" }) },
    ];
    for (const { path, method, res } of answers) {
      const match = documented(path, method, res.status).find((example) => example.code === res.body.code);
      expect(match, `${method} ${path} ${res.status} ${res.body.code}`).toBeDefined();
      expect({ type: res.body.type, title: res.body.title, status: res.body.status }).toEqual({
        type: match?.type,
        title: match?.title,
        status: match?.status,
      });
    }
  });
});

describe("documented security", () => {
  it("marks public operations as needing nothing, saying a token is still verified, and protected ones with their scopes", async () => {
    for (const document of await documents()) {
      for (const { path, method, op } of operations(document)) {
        const publicRead = method === "get" && path !== "/me";
        if (publicRead) {
          expect(op.security, `${method} ${path}`).toEqual([]);
          expect(op.description).toContain("no access token needed");
        } else {
          expect(op.security?.length, `${method} ${path}`).toBe(1);
          expect(Object.keys(op.security?.[0] ?? {})).toEqual(["oauth2"]);
        }
      }
    }
  });
});
