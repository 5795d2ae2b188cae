// Operations over HTTP run compiled by graphql-jit (src/graphql/compiled-executor.ts): each distinct
// operation is compiled once, then reused whatever its variables, through a real GraphQL over HTTP
// client (graphql-http's) against the listening app.
import type { AddressInfo } from "node:net";
import type { ExecutionResult } from "graphql";
import { createClient, NetworkError } from "graphql-http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";

let t: Awaited<ReturnType<typeof createTestApp>>;
let client: ReturnType<typeof createClient>;
beforeAll(async () => {
  const db = await seededDatabase();
  t = await createTestApp(db.url);
  await new Promise<void>((resolve) => t.server.listen(0, "127.0.0.1", resolve));
  const { port } = t.server.address() as AddressInfo;
  client = createClient({ url: `http://127.0.0.1:${port}/graphql` });
});
afterAll(() => {
  client.dispose();
  t.server.close();
});

function execute(query: string, variables?: Record<string, unknown>, operationName?: string) {
  return new Promise<ExecutionResult>((resolve, reject) => {
    let result: ExecutionResult | undefined;
    client.subscribe(
      { query, variables, operationName },
      {
        next: (value) => {
          result = value as ExecutionResult;
        },
        error: async (error) =>
          reject(error instanceof NetworkError ? new Error(`${error.message}: ${await error.response?.text()}`) : error),
        complete: () => resolve(result as ExecutionResult),
      },
    );
  });
}

const productsPage = `query Page($first: Int!) { products(first: $first) { edges { node { sku stock { available } } } } }`;
const edgesOf = (result: ExecutionResult) => (result.data as { products: { edges: unknown[] } }).products.edges;

describe("compiled operations", () => {
  it("are compiled once per distinct operation and reused with other variables", async () => {
    const before = t.graphql.compilations();
    const two = await execute(productsPage, { first: 2 });
    const five = await execute(productsPage, { first: 5 });
    expect(edgesOf(two)).toHaveLength(2);
    expect(edgesOf(five)).toHaveLength(5);
    expect(t.graphql.compilations()).toBe(before + 1);

    // Another text is another operation; so is each named operation of one document.
    await execute(`query Other { categories(first: 1) { totalCount } }`);
    expect(t.graphql.compilations()).toBe(before + 2);
    const document = `query A { me { kind } } query B { posts(limit: 1) { id } }`;
    const a = await execute(document, undefined, "A");
    const b = await execute(document, undefined, "B");
    expect(a.data).toEqual({ me: null });
    expect((b.data as { posts: unknown[] }).posts).toHaveLength(1);
    await execute(document, undefined, "B");
    expect(t.graphql.compilations()).toBe(before + 4);
  });

  // A product's id and price are getters of ProductNode (src/graphql/nodes.ts), not
  // resolvers: every path that answers a Product must hand one out, or it answers the raw view.
  it("answer a product alike from a page, by id, by node id and from its category", async () => {
    const fields = "id databaseId sku price { amount currency formatted } category { id } stock { available }";
    type Product = { id: string; databaseId: number; price: { formatted: string }; category: { id: string } };
    const page = await execute(`query { products(first: 1) { edges { node { ${fields} } } } }`);
    const product = (edgesOf(page)[0] as { node: Product }).node;
    expect(atob(product.id)).toBe(`Product:${product.databaseId}`);
    expect(product.price.formatted).toMatch(/\d/);

    const byId = await execute(`query($id: ID!) { product(id: $id) { ${fields} } }`, { id: product.id });
    const byNode = await execute(`query($id: ID!) { node(id: $id) { ... on Product { ${fields} } } }`, { id: product.id });
    const fromCategory = await execute(
      `query($id: ID!) { node(id: $id) { ... on Category { products(first: 100) { edges { node { ${fields} } } } } } }`,
      { id: product.category.id },
    );
    const categoryProducts = (fromCategory.data as { node: { products: { edges: { node: Product }[] } } }).node.products.edges;
    expect((byId.data as { product: Product }).product).toEqual(product);
    expect((byNode.data as { node: Product }).node).toEqual(product);
    expect(categoryProducts.map((edge) => edge.node)).toContainEqual(product);
  });

  // Comments likewise (CommentNode): a post's first page comes from a loader, a later one from its own page query.
  it("answer a comment alike from a post's pages, commentsByPost and node(id)", async () => {
    const fields = "id databaseId text createdAt author { username } post { id }";
    type Comment = { id: string; databaseId: number; post: { id: string } };
    type Comments = { edges: { node: Comment }[]; pageInfo: { endCursor: string } };
    const posts = await execute(
      `query { postConnection(first: 20) { edges { node { id commentCount comments(first: 1) { edges { node { ${fields} } } pageInfo { endCursor } } } } } }`,
    );
    type Post = { id: string; commentCount: number; comments: Comments };
    const post = (posts.data as { postConnection: { edges: { node: Post }[] } }).postConnection.edges
      .map((edge) => edge.node)
      .find((p) => p.commentCount >= 2) as Post;
    const [first] = post.comments.edges.map((edge) => edge.node) as [Comment];
    expect(atob(first.id)).toBe(`Comment:${first.databaseId}`);
    expect(first.post.id).toBe(post.id);

    const later = await execute(
      `query($id: ID!, $after: String) { post(id: $id) { comments(first: 1, after: $after) { edges { node { ${fields} } } } } }`,
      { id: post.id, after: post.comments.pageInfo.endCursor },
    );
    const [second] = (later.data as { post: { comments: Comments } }).post.comments.edges.map((edge) => edge.node) as [Comment];
    expect(atob(second.id)).toBe(`Comment:${second.databaseId}`);
    expect(second.id).not.toBe(first.id);

    const list = await execute(`query($id: ID!) { commentsByPost(postId: $id) { ${fields} } }`, { id: post.id });
    expect((list.data as { commentsByPost: Comment[] }).commentsByPost.slice(0, 2)).toEqual([first, second]);
    const byNode = await execute(`query($id: ID!) { node(id: $id) { ... on Comment { ${fields} } } }`, { id: second.id });
    expect((byNode.data as { node: Comment }).node).toEqual(second);
  });

  it("answer every node's global id on every path that reaches it", async () => {
    const ids = "__typename id databaseId";
    const result = await execute(`query {
      posts(limit: 2) { ${ids} author { ${ids} posts(limit: 1) { ${ids} } } }
      postConnection(first: 2) { edges { node { ${ids} comments(first: 2) { edges { node { ${ids} author { ${ids} } post { ${ids} } } } } } } }
      categories(first: 2) { edges { node { ${ids} products(first: 2) { edges { node { ${ids} category { ${ids} description } } } } } } }
      products(first: 2) { edges { node { ${ids} category { ${ids} } } } }
    }`);
    const seen = new Map<string, number>();
    const visit = (value: unknown): void => {
      if (typeof value !== "object" || value === null) return;
      const node = value as { __typename?: string; id?: string; databaseId?: number };
      if (node.__typename && node.id !== undefined) {
        expect(atob(node.id)).toBe(`${node.__typename}:${node.databaseId}`);
        seen.set(node.__typename, (seen.get(node.__typename) ?? 0) + 1);
      }
      Object.values(value).forEach(visit);
    };
    visit(result.data);
    expect([...seen.keys()].sort()).toEqual(["Category", "Comment", "Post", "Product", "User"]);
  });

  it("are not compiled when the document does not validate (Apollo refuses it first)", async () => {
    const before = t.graphql.compilations();
    await expect(execute(`query { products(first: 1) { nope } }`)).rejects.toThrow(/400.*GRAPHQL_VALIDATION_FAILED/);
    expect(t.graphql.compilations()).toBe(before);
  });

  // Counts are getters that may answer a promise (connections.ts), read through graphql-js's default
  // resolver; cursors are getters answering a string, read like every other field as a plain property.
  it("answer the connections' lazy counts and cursors, and page with them", async () => {
    const page = `query Page($first: Int!, $after: String) {
      products(first: $first, after: $after) {
        totalCount
        edges { cursor node { sku } }
        pageInfo { hasNextPage startCursor endCursor }
      }
    }`;
    type Page = {
      totalCount: number;
      edges: { cursor: string; node: { sku: string } }[];
      pageInfo: { hasNextPage: boolean; startCursor: string; endCursor: string };
    };
    const pageOf = (result: ExecutionResult) => (result.data as { products: Page }).products;
    const whole = pageOf(await execute(page, { first: 4 }));
    const first = pageOf(await execute(page, { first: 2 }));
    const second = pageOf(await execute(page, { first: 2, after: first.pageInfo.endCursor }));
    expect(first.totalCount).toBe(whole.totalCount);
    expect(first.totalCount).toBeGreaterThan(4);
    expect(first.edges.every((edge) => typeof edge.cursor === "string" && edge.cursor.length > 0)).toBe(true);
    expect(first.pageInfo).toEqual({ hasNextPage: true, startCursor: first.edges[0]?.cursor, endCursor: first.edges[1]?.cursor });
    expect([...first.edges, ...second.edges].map((edge) => edge.node.sku)).toEqual(whole.edges.map((edge) => edge.node.sku));

    // The blog's cursors come from the encoder its page query hands over, and page all the same.
    const postsPage = `query Posts($first: Int!, $after: String) {
      postConnection(first: $first, after: $after) { edges { cursor node { id } } pageInfo { endCursor } }
    }`;
    type PostsPage = { edges: { cursor: string; node: { id: string } }[]; pageInfo: { endCursor: string } };
    const postsOf = (result: ExecutionResult) => (result.data as { postConnection: PostsPage }).postConnection;
    const allPosts = postsOf(await execute(postsPage, { first: 4 }));
    const firstPosts = postsOf(await execute(postsPage, { first: 2 }));
    const nextPosts = postsOf(await execute(postsPage, { first: 2, after: firstPosts.pageInfo.endCursor }));
    expect(firstPosts.edges.every((edge) => typeof edge.cursor === "string" && edge.cursor.length > 0)).toBe(true);
    expect(firstPosts.pageInfo.endCursor).toBe(firstPosts.edges[1]?.cursor);
    expect([...firstPosts.edges, ...nextPosts.edges].map((edge) => edge.node.id)).toEqual(
      allPosts.edges.map((edge) => edge.node.id),
    );

    // A count loaded per post (a DataLoader's promise) on a nested connection.
    const posts = await execute(
      `query { postConnection(first: 2) { totalCount edges { node { comments(first: 1) { totalCount } } } } }`,
    );
    const connection = (
      posts.data as { postConnection: { totalCount: number; edges: { node: { comments: { totalCount: number } } }[] } }
    ).postConnection;
    expect(connection.totalCount).toBeGreaterThan(0);
    for (const edge of connection.edges) expect(typeof edge.node.comments.totalCount).toBe("number");
  });
});
