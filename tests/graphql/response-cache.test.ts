import pg from "pg";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";
import { dataOf, graphql } from "./helpers.js";

// Anonymous catalog queries over GraphQL are answered from REST's response cache, emptied the same
// way: by every command before it answers, and by the catalog's change announcements. What a client
// must never see: a write (GraphQL's or REST's) missing from the very next read.
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
// An app that hears no announcements (it follows another database): what it shows after another
// writer's change tells whether it answered from memory.
let deaf: Awaited<ReturnType<typeof createTestApp>>;
let staff: string;
let outsider: pg.Client; // another writer: a CLI, another instance, psql

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  deaf = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl }, listenTo: (await createTestDatabase()).url });
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write");
  outsider = new pg.Client({ connectionString: db.url });
  await outsider.connect();
});
afterAll(async () => {
  await outsider.end();
  await server.stop();
});

const firstProducts = `query FirstProducts { products(first: 3) { edges { node { id databaseId name version category { name } stock { onHand } } } } }`;
type ProductNode = {
  id: string;
  databaseId: number;
  name: string;
  version: number;
  category: { name: string };
  stock: { onHand: number };
};
const fresh = { timeout: 3000, interval: 50 };

async function first(app = t.app, token?: string): Promise<ProductNode> {
  const data = dataOf(await graphql(app, firstProducts, undefined, token ? { token } : {})) as {
    products: { edges: { node: ProductNode }[] };
  };
  return data.products.edges[0]?.node as ProductNode;
}

const rename = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { name } errors { message } } }`;

describe("GraphQL's response cache", () => {
  it("answers repeated anonymous reads from memory, and never a signed-in caller's", async () => {
    const before = await first(deaf.app);
    expect(await first(deaf.app)).toEqual(before);
    await outsider.query("UPDATE products SET name = 'Renamed unheard', version = version + 1 WHERE id = $1", [
      before.databaseId,
    ]);
    // deaf heard nothing: its kept answer stands (for up to the cache's age limit)...
    expect((await first(deaf.app)).name).toBe(before.name);
    // ...while a caller with a token is always answered from the database.
    expect((await first(deaf.app, staff)).name).toBe("Renamed unheard");
  });

  it("sends a kept answer as it sent the first: the same bytes, Content-Type and ETag", async () => {
    const query = "query KeptAsSent { products(first: 2) { edges { node { databaseId name } } } }";
    const [sent, kept] = [await graphql(deaf.app, query), await graphql(deaf.app, query)];
    expect(sent.status).toBe(200);
    expect(sent.headers.etag).toMatch(/^W\/"/);
    expect(kept.status).toBe(200);
    expect(JSON.stringify(kept.body)).toBe(JSON.stringify(sent.body));
    expect(kept.headers["content-type"]).toBe(sent.headers["content-type"]);
    expect(kept.headers.etag).toBe(sent.headers.etag);
  });

  it("shows a GraphQL mutation in the very next anonymous read, without an announcement", async () => {
    const before = await first(deaf.app);
    const res = await graphql(deaf.app, rename, { input: { id: before.id, name: `${before.name} (mutated)` } }, { token: staff });
    expect(dataOf(res)).toMatchObject({ updateProduct: { product: { name: `${before.name} (mutated)` }, errors: [] } });
    expect((await first(deaf.app)).name).toBe(`${before.name} (mutated)`);
  });

  it("shows a REST write in the very next GraphQL read, and a stock movement too", async () => {
    const before = await first(deaf.app);
    const patched = await request(deaf.app)
      .patch(`/api/v2/products/${before.databaseId}`)
      .set("Authorization", `Bearer ${staff}`)
      .send({ name: "Renamed by REST" });
    expect(patched.status).toBe(200);
    expect((await first(deaf.app)).name).toBe("Renamed by REST");
    const received = await request(deaf.app)
      .post(`/api/v2/products/${before.databaseId}/stock/adjustments`)
      .set("Authorization", `Bearer ${staff}`)
      .send({ kind: "receive", quantity: 5 });
    expect(received.status).toBe(201);
    expect((await first(deaf.app)).stock.onHand).toBe(before.stock.onHand + 5);
  });

  it("shows another writer's change once its announcement arrives", async () => {
    const before = await first();
    await outsider.query("UPDATE products SET name = 'Changed elsewhere', version = version + 1 WHERE id = $1", [
      before.databaseId,
    ]);
    await vi.waitFor(async () => expect((await first()).name).toBe("Changed elsewhere"), fresh);
    await outsider.query("UPDATE categories SET name = 'Renamed category' WHERE name = $1", [before.category.name]);
    await vi.waitFor(async () => expect((await first()).category.name).toBe("Renamed category"), fresh);
  });
});
