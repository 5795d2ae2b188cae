import { createHash } from "node:crypto";
import pg from "pg";
import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";
import { dataOf, graphql } from "./helpers.js";

// What the endpoint refuses and how: limits (validation errors with their code and a 400, never a
// 500), batching, CSRF prevention, persisted queries, the deadline, masked internals, introspection.
let t: Awaited<ReturnType<typeof createTestApp>>;
let url: string;
beforeAll(async () => {
  const db = await seededDatabase();
  url = db.url;
  t = await createTestApp(db.url);
});

const firstError = async (query: string, variables?: Record<string, unknown>) => {
  const res = await graphql(t.app, query, variables);
  return { status: res.status, error: res.body.errors?.[0] };
};

describe("limits", () => {
  it("depth, aliases and directives (graphql-armor): 400 GRAPHQL_VALIDATION_FAILED naming the limit", async () => {
    const deep = await firstError(
      "{ posts(limit: 1) { author { posts(limit: 1) { author { posts(limit: 1) { author { posts(limit: 1) { author { posts(limit: 1) { author { posts(limit: 1) { author { username } } } } } } } } } } } } }",
    );
    expect(deep.status).toBe(400);
    expect(deep.error).toMatchObject({
      extensions: { code: "GRAPHQL_VALIDATION_FAILED" },
      message: expect.stringMatching(/depth limit of 12/i),
    });
    const aliases = await firstError(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: me { kind }`).join(" ")} }`);
    expect(aliases.status).toBe(400);
    expect(aliases.error?.message).toMatch(/aliases limit of 15/i);
    const directives = await firstError(`{ me ${"@include(if: true) ".repeat(11)} { kind } }`);
    expect(directives.status).toBe(400);
    expect(directives.error?.message).toMatch(/directives limit of 10/i);
  });

  it("tokens (the parser's maxTokens): 400 GRAPHQL_PARSE_FAILED", async () => {
    const long = await firstError(`{ me { ${"kind ".repeat(2100)} } }`);
    expect(long.status).toBe(400);
    expect(long.error).toMatchObject({
      extensions: { code: "GRAPHQL_PARSE_FAILED" },
      message: expect.stringMatching(/more that 2000 tokens/),
    });
  });

  it("cost counts variables: the same document passes with small pages and is refused with large ones", async () => {
    const query =
      "query($n: Int) { products(first: $n) { edges { node { category { products(first: $n) { edges { node { sku } } } } } } } }";
    dataOf(await graphql(t.app, query, { n: 5 }));
    const costly = await firstError(query, { n: 100 });
    expect(costly.status).toBe(400);
    expect(costly.error?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", maximumCost: 5000 });
    expect(costly.error?.message).toMatch(/costs \d+, more than the 5000 allowed/);
  });

  it("batched requests are refused", async () => {
    const res = await request(t.app)
      .post("/graphql")
      .set("Content-Type", "application/json")
      .send(JSON.stringify([{ query: "{ me { kind } }" }, { query: "{ me { kind } }" }]));
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/batch/i);
  });
});

describe("HTTP rules", () => {
  it("CSRF prevention: a GET needs a preflight header; forms and text bodies are refused; mutations never over GET", async () => {
    const query = encodeURIComponent("{ posts(limit: 1) { title } }");
    const simple = await request(t.app).get(`/graphql?query=${query}`).set("Accept", "application/json");
    expect(simple.status).toBe(400);
    expect(simple.text).toMatch(/CSRF/i);
    const preflighted = await request(t.app).get(`/graphql?query=${query}`).set("apollo-require-preflight", "true");
    expect(preflighted.status).toBe(200);
    expect(preflighted.body.data.posts).toHaveLength(1);
    const text = await request(t.app).post("/graphql").set("Content-Type", "text/plain").send('{"query":"{ me { kind } }"}');
    expect(text.status).toBe(415);
    const form = await request(t.app).post("/graphql").type("form").send({ query: "{ me { kind } }" });
    expect(form.status).toBe(415);
    const mutation = await request(t.app)
      .get(`/graphql?query=${encodeURIComponent('mutation { createPost(title: "x", content: "y") { post { id } } }')}`)
      .set("apollo-require-preflight", "true");
    expect(mutation.status).toBe(405);
  });

  it("persisted queries (APQ): a hash alone is unknown until it was sent with its query, then it is enough", async () => {
    const query = "{ categories { totalCount } }";
    const sha256Hash = createHash("sha256").update(query).digest("hex");
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await request(t.app).post("/graphql").send({ extensions });
    expect(unknown.body.errors?.[0]?.extensions?.code).toBe("PERSISTED_QUERY_NOT_FOUND");
    expect((await request(t.app).post("/graphql").send({ query, extensions })).body.data).toEqual({
      categories: { totalCount: 3 },
    });
    const byHash = await request(t.app)
      .get(`/graphql?extensions=${encodeURIComponent(JSON.stringify(extensions))}`)
      .set("apollo-require-preflight", "true");
    expect(byHash.body.data).toEqual({ categories: { totalCount: 3 } });
    const mismatch = await request(t.app).post("/graphql").send({ query: "{ me { kind } }", extensions });
    expect(mismatch.status).toBe(400);
  });

  it("subscriptions are for the socket", async () => {
    const res = await graphql(t.app, "subscription { productChanged { position } }");
    expect(res.body.errors?.[0]?.extensions?.code).toBeDefined();
    expect(res.status).not.toBe(500);
  });
});

describe("deadline, masked errors, introspection", () => {
  it("a query past GRAPHQL_TIMEOUT_MS is answered 503 SERVICE_UNAVAILABLE, without partial data", async () => {
    const slow = await createTestApp(url, { env: { GRAPHQL_TIMEOUT_MS: "1" } });
    const res = await graphql(slow.app, "{ products(first: 100) { edges { node { category { name } stock { onHand } } } } }");
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      errors: [{ message: expect.stringMatching(/ran out of time/), extensions: { code: "SERVICE_UNAVAILABLE" } }],
    });
  });

  it("an unexpected failure is masked (no message, no stack) and logged", async () => {
    const broken = await seededDatabase();
    const app = await createTestApp(broken.url);
    const admin = new pg.Client({ connectionString: broken.url });
    await admin.connect();
    await admin.query("ALTER TABLE comments RENAME TO comments_gone");
    await admin.end();
    const res = await graphql(app.app, "{ posts(limit: 1) { title comments { edges { node { text } } } } }");
    expect(res.status).toBe(200);
    expect(res.body.errors).toEqual([
      {
        message: "Something went wrong on our side; it has been logged.",
        path: expect.any(Array),
        extensions: { code: "INTERNAL_SERVER_ERROR" },
      },
    ]);
    expect(JSON.stringify(res.body)).not.toMatch(/comments_gone|comments"|prisma|at /i);
    expect(app.logLines.some((line) => line.msg === "GraphQL operation failed")).toBe(true);
  });

  it("introspection is on in development and test, off with GRAPHQL_INTROSPECTION=false (no field suggestions either)", async () => {
    const schema = dataOf(await graphql(t.app, "{ __schema { queryType { name } } }"));
    expect(schema).toEqual({ __schema: { queryType: { name: "Query" } } });
    const closed = await createTestApp(url, { env: { GRAPHQL_INTROSPECTION: "false" } });
    const refused = await graphql(closed.app, "{ __schema { queryType { name } } }");
    expect(refused.status).toBe(400);
    expect(refused.body.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const typo = await graphql(closed.app, "{ prodcts { totalCount } }");
    expect(typo.status).toBe(400);
    expect(JSON.stringify(typo.body)).not.toMatch(/Did you mean/);
    expect(JSON.stringify((await graphql(t.app, "{ prodcts { totalCount } }")).body)).toMatch(/Did you mean/);
  });
});
