import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createPrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { openSocket, wsUrl } from "../helpers/socket.js";
import { customerToken, staffToken } from "../helpers/tokens.js";
import { collect, wsClient } from "./helpers.js";

// Subscriptions over graphql-ws on a real listening Stockroom (same http.Server and path as HTTP),
// fed by the realtime hub: writes from REST and from GraphQL alike, resume with since, auth, limits.
let server: IdentityServer;
let staff: string;
let customer: string;
let prisma: ReturnType<typeof createPrismaClient>;
let postId: number;
const graphqlUrl = () => wsUrl(server.url, "/graphql");

beforeAll(async () => {
  const db = await createTestDatabase();
  prisma = createPrismaClient(db.url);
  await seedDemoData(prisma);
  server = await startIdentityServer(db.url);
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
  customer = await customerToken(server, "blog:read blog:write");
  postId = (await prisma.post.findFirstOrThrow()).id;
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

// Subscribing from the feed's latest position, a test cannot miss a write made right after it
// subscribed, however long the server takes to set the subscription up.
async function latestPosition(): Promise<string> {
  const [row] = await prisma.$queryRaw<
    { txid: string; id: bigint }[]
  >`SELECT txid::text AS txid, id FROM events ORDER BY txid DESC, id DESC LIMIT 1`;
  return `${row?.txid}-${row?.id}`;
}

const rest = (path: string, token: string, body: unknown) =>
  fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });

const commentAdded = `subscription($postId: ID!, $since: String) {
  commentAdded(postId: $postId, since: $since) { position comment { id text author { username } post { title } } }
}`;
type CommentEvent = {
  commentAdded: { position: string; comment: { id: string; text: string; author: { username: string } } };
};
const texts = (results: { data?: unknown }[]) => results.map((r) => (r.data as CommentEvent).commentAdded.comment.text);

describe("commentAdded", () => {
  it("delivers comments written over REST and over GraphQL; since resumes with nothing lost or repeated", async () => {
    const reader = wsClient(graphqlUrl());
    const live = collect(reader.client, commentAdded, { postId: String(postId), since: await latestPosition() });
    expect((await rest(`/api/v2/posts/${postId}/comments`, customer, { text: "via REST" })).status).toBe(201);
    const writer = wsClient(graphqlUrl(), { Authorization: `Bearer ${staff}` });
    const write = collect(
      writer.client,
      "mutation($input: AddCommentInput!) { addComment(input: $input) { comment { text } errors { message } } }",
      { input: { postId: String(postId), text: "via GraphQL" } },
    );
    await write.done;
    expect(write.results[0]?.data).toEqual({ addComment: { comment: { text: "via GraphQL" }, errors: [] } });
    await live.untilCount(2);
    expect(texts(live.results)).toEqual(["via REST", "via GraphQL"]);
    const [first] = live.results as { data: CommentEvent }[];
    expect(first?.data.commentAdded.comment.author.username).toBe("casey-customer");
    expect(atob(first?.data.commentAdded.comment.id ?? "")).toMatch(/^Comment:\d+$/);

    // Disconnect, miss two comments, come back with since = the last position seen.
    const last = (live.results.at(-1)?.data as CommentEvent | undefined)?.commentAdded.position;
    await reader.client.dispose();
    for (const text of ["missed 1", "missed 2"]) await rest(`/api/v2/posts/${postId}/comments`, customer, { text });
    const again = wsClient(graphqlUrl());
    const resumed = collect(again.client, commentAdded, { postId: String(postId), since: last });
    await resumed.untilCount(2);
    await rest(`/api/v2/posts/${postId}/comments`, customer, { text: "after resume" });
    await resumed.untilCount(3);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(texts(resumed.results)).toEqual(["missed 1", "missed 2", "after resume"]);
    // From an earlier position, the same events again in the same order.
    const replay = collect(again.client, commentAdded, { postId: String(postId), since: first?.data.commentAdded.position });
    await replay.untilCount(4);
    expect(texts(replay.results)).toEqual(["via GraphQL", "missed 1", "missed 2", "after resume"]);
    await Promise.all([again.client.dispose(), writer.client.dispose()]);
  });

  it("a GraphQL mutation reaches a subscriber of the WebSocket transport", async () => {
    const socket = await openSocket(wsUrl(server.url, `/ws/posts/${postId}/comments?since=${await latestPosition()}`));
    const res = await fetch(`${server.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${customer}` },
      body: JSON.stringify({
        query: "mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id } } }",
        variables: { input: { postId: String(postId), text: "GraphQL to ws" } },
      }),
    });
    expect(res.status).toBe(200);
    const frame = await socket.next((f) => f.type === "event" && (f.data as { text?: string }).text === "GraphQL to ws");
    expect(frame).toMatchObject({ topic: `post:${postId}:comments`, event: "CommentAdded" });
    socket.close();
  });

  it("refuses what it cannot serve with the catalog's codes", async () => {
    const { client } = wsClient(graphqlUrl());
    const unknownPost = collect(client, commentAdded, { postId: "987654" });
    await unknownPost.done;
    expect(unknownPost.results[0]?.errors?.[0]?.extensions?.code).toBe("NOT_FOUND");
    const badSince = collect(client, commentAdded, { postId: String(postId), since: "not-a-position" });
    await badSince.done;
    expect(badSince.results[0]?.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tooDeep = collect(
      client,
      `subscription { commentAdded(postId: "1") { comment { post { author { posts(limit: 1) { author { posts(limit: 1) {
        author { posts(limit: 1) { author { posts(limit: 1) { author { username } } } } } } } } } } } } }`,
    );
    await tooDeep.done;
    expect(tooDeep.results[0]?.errors?.[0]).toMatchObject({ extensions: { code: "GRAPHQL_VALIDATION_FAILED" } });
    expect(tooDeep.results[0]?.errors?.[0]?.message).toMatch(/depth/i);
    const tooCostly = collect(
      client,
      "query($n: Int) { products(first: $n) { edges { node { category { products(first: $n) { totalCount } } } } } }",
      {
        n: 100,
      },
    );
    await tooCostly.done;
    expect(tooCostly.results[0]?.errors?.[0]?.extensions).toMatchObject({ code: "GRAPHQL_VALIDATION_FAILED", maximumCost: 5000 });
    const anonymousWrite = collect(client, 'mutation { createPost(title: "t", content: "c") { post { id } } }');
    await anonymousWrite.done;
    expect(anonymousWrite.results[0]?.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    await client.dispose();

    const reader = wsClient(graphqlUrl(), { Authorization: `Bearer ${customer}` });
    const noScope = collect(
      reader.client,
      'mutation { createProduct(input: { sku: "X-1", name: "x", price: { amount: 1, currency: "EUR" }, categoryId: "1" }) { product { id } } }',
    );
    await noScope.done;
    expect(noScope.results[0]?.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    await reader.client.dispose();
  });

  it("closes with 4403 for a bad token, so the client refreshes and retries", async () => {
    const { client, closes } = wsClient(graphqlUrl(), { Authorization: "Bearer not-a-token" });
    const op = collect(client, "{ posts { id } }");
    await op.done.catch(() => {});
    await expect.poll(() => closes[0]?.code).toBe(4403);
    await client.dispose();
  });
});

describe("stockChanged and productChanged", () => {
  it("stock movements of several products in feed order, and product changes", async () => {
    const [a, b, c] = await prisma.product.findMany({ take: 3, orderBy: { id: "asc" } });
    const { client } = wsClient(graphqlUrl());
    const since = await latestPosition();
    const stock = collect(
      client,
      "subscription($ids: [ID!]!, $since: String) { stockChanged(productIds: $ids, since: $since) { position event stock { productId onHand available version product { sku } } } }",
      { ids: [String(a?.id), String(b?.id)], since },
    );
    const products = collect(
      client,
      "subscription($since: String) { productChanged(since: $since) { position event productId product { name price { formatted } stock { onHand } } } }",
      { since },
    );
    for (const product of [a, c, b, a]) {
      expect(
        (await rest(`/api/v2/products/${product?.id}/stock/adjustments`, staff, { kind: "receive", quantity: 2 })).status,
      ).toBe(201);
    }
    const patched = await fetch(`${server.url}/api/v2/products/${a?.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/json", authorization: `Bearer ${staff}` },
      body: JSON.stringify({ name: "Renamed live" }),
    });
    expect(patched.status).toBe(200);
    await stock.untilCount(3);
    await products.untilCount(1);
    type StockEvent = {
      stockChanged: { position: string; event: string; stock: { productId: number; product: { sku: string } } };
    };
    const events = stock.results.map((r) => (r.data as StockEvent).stockChanged);
    expect(events.map((e) => e.stock.productId)).toEqual([a?.id, b?.id, a?.id]);
    expect(events.every((e) => e.event === "StockReceived")).toBe(true);
    expect(events[1]?.stock.product.sku).toBe(b?.sku);
    expect(products.results[0]?.data).toMatchObject({
      productChanged: { event: "ProductUpdated", product: { name: "Renamed live", price: { formatted: expect.any(String) } } },
    });
    await client.dispose();
  });
});
