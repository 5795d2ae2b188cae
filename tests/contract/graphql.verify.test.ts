import { Verifier } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { customerToken } from "../helpers/tokens.js";
import { pactFile } from "./pacts.js";
import { restCall } from "./stockroom-api.js";

// Provider verification of the web client's GraphQL contract (pacts/stockroom-web-stockroom-graphql.json,
// written by web/tests/pact/graphql.pact.test.ts) against the real server's /graphql on a real,
// seeded database. Each provider state sets up what its interaction needs through the server's
// own API and hands back the values (a post's id, a real access token) the requests take from it.

let server: IdentityServer;
let customer: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  customer = await customerToken(server, "blog:read blog:write");
});
afterAll(() => server?.stop());

/** Runs a GraphQL operation on the real server and returns its data, failing loudly on errors. */
async function graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (!res.ok || body.errors || !body.data) throw new Error(`GraphQL answered ${res.status}: ${JSON.stringify(body)}`);
  return body.data;
}

const stateHandlers = {
  "posts exist": async () => {
    const { posts } = await graphql<{ posts: { id: string }[] }>("{ posts(limit: 1) { id } }");
    expect(posts.length).toBe(1);
    return undefined;
  },
  "a post with comments exists": async () => {
    const { posts } = await graphql<{ posts: { id: string; databaseId: number }[] }>("{ posts(limit: 1) { id databaseId } }");
    const post = posts[0];
    if (!post) throw new Error("the seed has no posts");
    await restCall(server, customer, "POST", `/posts/${post.databaseId}/comments`, { text: "Lovely write-up." });
    return { postId: post.id };
  },
  "the caller holds a token with blog:write": async () => ({ accessToken: customer }),
  "no post has id 999999": async () => {
    expect(await graphql<{ post: unknown }>('{ post(id: "999999") { id } }')).toEqual({ post: null });
    return undefined;
  },
  "the caller holds no token": async () => undefined,
};

describe("the web client's GraphQL contract", () => {
  it("holds against the real server", async () => {
    const output = await new Verifier({
      provider: "stockroom-graphql",
      providerBaseUrl: server.url,
      pactUrls: [pactFile("stockroom-graphql")],
      stateHandlers,
      logLevel: "warn",
    }).verifyProvider();
    expect(output).toBeDefined();
  });
});
