import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";
import { dataOf, graphql } from "./helpers.js";

// Reads over real HTTP against the composed app on the demo data: the seed's operation verbatim,
// connections forward and backward, global ids, and the same answers REST gives.
let t: Awaited<ReturnType<typeof createTestApp>>;
beforeAll(async () => {
  const db = await seededDatabase();
  t = await createTestApp(db.url);
});

type Edge<T> = { cursor: string; node: T };
type Page<T> = {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string; endCursor: string };
  totalCount: number;
};

// The seed's React client sends exactly this.
const GetPosts = `
  query GetPosts {
    posts {
      id
      title
      content
      createdAt
      author {
        username
      }
    }
  }
`;

describe("the seed's GetPosts", () => {
  it("answers every post, newest first, with its author", async () => {
    const { posts } = dataOf(await graphql(t.app, GetPosts)) as {
      posts: { id: string; title: string; content: string; createdAt: string; author: { username: string } }[];
    };
    const rest = await request(t.app).get("/api/v2/posts?limit=100");
    expect(posts.map((p) => p.title)).toEqual(rest.body.data.map((p: { title: string }) => p.title));
    expect(posts[0]).toEqual({
      id: expect.any(String),
      title: rest.body.data[0].title,
      content: rest.body.data[0].content,
      createdAt: rest.body.data[0].createdAt,
      author: { username: rest.body.data[0].author.username },
    });
  });

  it("post(id) and commentsByPost(postId) take the ids posts gives, or REST's numbers", async () => {
    const { posts } = dataOf(await graphql(t.app, "{ posts(limit: 1) { id databaseId title } }")) as {
      posts: { id: string; databaseId: number; title: string }[];
    };
    const [first] = posts;
    for (const id of [first?.id, String(first?.databaseId)]) {
      const data = dataOf(
        await graphql(
          t.app,
          "query($id: ID!) { post(id: $id) { title commentCount } commentsByPost(postId: $id) { text post { title } } }",
          {
            id,
          },
        ),
      ) as { post: { title: string; commentCount: number }; commentsByPost: { text: string; post: { title: string } }[] };
      expect(data.post.title).toBe(first?.title);
      expect(data.commentsByPost).toHaveLength(data.post.commentCount);
      expect(data.commentsByPost.every((c) => c.post.title === first?.title)).toBe(true);
    }
    const missing = dataOf(await graphql(t.app, '{ post(id: "999999") { title } }'));
    expect(missing.post).toBeNull();
  });
});

describe("products", () => {
  const query = `query($first: Int, $after: String, $last: Int, $before: String, $filter: ProductFilter, $orderBy: [ProductOrder!]) {
    products(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
      edges { cursor node { id databaseId sku name price { amount currency formatted } category { databaseId slug name } stock { onHand reserved available version } version createdAt updatedAt } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      totalCount
    }
  }`;
  type Product = {
    databaseId: number;
    sku: string;
    name: string;
    price: { amount: number; currency: string; formatted: string };
    category: { databaseId: number; slug: string; name: string };
    stock: { onHand: number; reserved: number; available: number; version: number };
    version: number;
    createdAt: string;
    updatedAt: string;
  };
  const products = async (variables: Record<string, unknown>) =>
    (dataOf(await graphql(t.app, query, variables)) as { products: Page<Product> }).products;

  it("answer what GET /api/v2/products?include=category answers", async () => {
    const page = await products({ first: 20 });
    const rest = await request(t.app).get("/api/v2/products?limit=20&include=category");
    expect(page.edges.map(({ node }) => node)).toEqual(
      rest.body.data.map(
        (p: Product & { id: number; price: { amount: number; currency: string }; category: { id: number } }) => ({
          id: Buffer.from(`Product:${p.id}`).toString("base64"),
          databaseId: p.id,
          sku: p.sku,
          name: p.name,
          price: { ...p.price, formatted: expect.stringMatching(/\d/) },
          category: { databaseId: p.category.id, slug: p.category.slug, name: p.category.name },
          stock: p.stock,
          version: p.version,
          createdAt: p.createdAt,
          updatedAt: p.updatedAt,
        }),
      ),
    );
    expect(page.edges[0]?.node.price.formatted).toBe("€12.90");
    expect(page.totalCount).toBe(24);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
  });

  it("page forward with after and back with last/before, through every product once", async () => {
    const seen: number[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await products({ first: 7, after, orderBy: [{ field: "PRICE", direction: "DESC" }] });
      seen.push(...page.edges.map((e) => e.node.databaseId));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(24);
    const second = await products({ first: 7, after: (await products({ first: 7 })).pageInfo.endCursor });
    const back = await products({ last: 7, before: second.pageInfo.startCursor });
    expect(back.edges.map((e) => e.node.databaseId)).toEqual((await products({ first: 7 })).edges.map((e) => e.node.databaseId));
    expect(back.pageInfo.hasPreviousPage).toBe(false);
    // An edge's cursor continues from its product either way.
    const edge = second.edges[2];
    const afterEdge = await products({ first: 1, after: edge?.cursor });
    expect(afterEdge.edges[0]?.node.databaseId).toBe(second.edges[3]?.node.databaseId);
  });

  it("filter and count what they filter", async () => {
    const coffee = dataOf(
      await graphql(
        t.app,
        "{ categories(first: 3) { edges { node { id slug products(first: 20) { totalCount edges { node { category { slug } } } } } } } }",
      ),
    ) as {
      categories: Page<{ id: string; slug: string; products: Page<{ category: { slug: string } }> }>;
    };
    const category = coffee.categories.edges.find((e) => e.node.slug === "coffee")?.node;
    expect(category?.products.totalCount).toBe(8);
    expect(category?.products.edges.every((e) => e.node.category.slug === "coffee")).toBe(true);
    const page = await products({ first: 50, filter: { categoryId: category?.id, inStock: false } });
    expect(page.edges.map((e) => e.node.sku)).toEqual(["COF-DEC-250"]);
    expect(page.totalCount).toBe(1);
    const cheap = await products({ first: 50, filter: { maxPrice: 1000, search: "e" } });
    expect(cheap.edges.every((e) => e.node.price.amount <= 1000)).toBe(true);
    expect(cheap.totalCount).toBe(cheap.edges.length);
  });

  it("refuse what the core refuses, naming the argument (BAD_USER_INPUT)", async () => {
    for (const [variables, field] of [
      [{ first: 0 }, "first"],
      [{ first: 101 }, "first"],
      [{ filter: { minPrice: -1 } }, "filter.minPrice"],
      [{ filter: { categoryId: "UG9zdDox" } }, "filter.categoryId"],
      [{ first: 5, after: "forged.cursor" }, "after"],
      [{ last: 5 }, "before"],
    ] as const) {
      const res = await graphql(t.app, query, variables);
      expect(res.body.data?.products ?? null, JSON.stringify(variables)).toBeNull();
      expect(res.body.errors?.[0]?.extensions).toMatchObject({
        code: "BAD_USER_INPUT",
        fields: [expect.objectContaining({ field })],
      });
    }
    // A cursor made for one sort is refused for another.
    const { endCursor } = (await products({ first: 3 })).pageInfo;
    const other = await graphql(t.app, query, { first: 3, after: endCursor, orderBy: [{ field: "NAME" }] });
    expect(other.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });
});

describe("global ids and nested fields", () => {
  it("node(id) and nodes(ids) fetch every type again by its id", async () => {
    const data = dataOf(
      await graphql(
        t.app,
        "{ products(first: 1) { edges { node { id category { id } } } } posts(limit: 1) { id author { id } comments(first: 1) { edges { node { id } } } } }",
      ),
    ) as {
      products: Page<{ id: string; category: { id: string } }>;
      posts: { id: string; author: { id: string }; comments: Page<{ id: string }> }[];
    };
    const product = data.products.edges[0]?.node;
    const post = data.posts[0];
    const ids = [product?.id, product?.category.id, post?.id, post?.author.id, post?.comments.edges[0]?.node.id, "bm9wZTox"];
    const { nodes } = dataOf(
      await graphql(
        t.app,
        `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
          ... on Product { sku } ... on Category { slug } ... on Post { title } ... on User { username } ... on Comment { text } } }`,
        { ids },
      ),
    ) as { nodes: ({ __typename: string; id: string } | null)[] };
    expect(nodes.map((n) => n?.__typename ?? null)).toEqual(["Product", "Category", "Post", "User", "Comment", null]);
    expect(nodes.slice(0, 5).map((n) => n?.id)).toEqual(ids.slice(0, 5));
    const { node } = dataOf(await graphql(t.app, "query($id: ID!) { node(id: $id) { id } }", { id: post?.id }));
    expect(node).toEqual({ id: post?.id });
  });

  it("a user's posts, a post's comment pages, a product's stock history", async () => {
    type PostRow = {
      id: string;
      author: { username: string; posts: { author: { username: string } }[] };
      comments: Page<{ text: string }>;
    };
    const { posts } = dataOf(
      await graphql(
        t.app,
        "{ posts { id author { username posts(limit: 2) { author { username } } } comments(first: 1) { totalCount edges { node { text } } pageInfo { hasNextPage endCursor } } } }",
      ),
    ) as { posts: PostRow[] };
    for (const post of posts) expect(post.author.posts.every((p) => p.author.username === post.author.username)).toBe(true);
    const busy = posts.find((p) => p.comments.pageInfo.hasNextPage);
    const next = dataOf(
      await graphql(
        t.app,
        "query($id: ID!, $after: String) { post(id: $id) { comments(first: 5, after: $after) { edges { node { text } } pageInfo { hasPreviousPage } } } commentsByPost(postId: $id) { text } }",
        { id: busy?.id, after: busy?.comments.pageInfo.endCursor },
      ),
    ) as { post: { comments: Page<{ text: string }> }; commentsByPost: { text: string }[] };
    expect(next.post.comments.edges.map((e) => e.node.text)).toEqual(next.commentsByPost.slice(1).map((c) => c.text));
    expect(next.post.comments.pageInfo.hasPreviousPage).toBe(true);
    expect(busy?.comments.totalCount).toBe(next.commentsByPost.length);

    const history = dataOf(
      await graphql(
        t.app,
        '{ stockHistory(productId: "1", first: 5) { totalCount edges { cursor node { streamVersion type quantity actor occurredAt position } } } }',
      ),
    ) as { stockHistory: Page<{ streamVersion: number; type: string; quantity: number; position: string }> };
    const rest = await request(t.app).get("/api/v2/products/1/stock/history");
    expect(history.stockHistory.edges.map((e) => e.node)).toEqual(
      rest.body.data.map((e: Record<string, unknown>) => ({
        streamVersion: e.streamVersion,
        type: e.type,
        quantity: e.quantity,
        actor: e.actor,
        occurredAt: e.occurredAt,
        position: e.position,
      })),
    );
    expect(history.stockHistory.totalCount).toBe(rest.body.data.length);
    // An edge's cursor goes on right after its movement.
    const [firstMovement] = history.stockHistory.edges;
    const afterFirst = dataOf(
      await graphql(
        t.app,
        'query($after: String) { stockHistory(productId: "1", first: 5, after: $after) { edges { node { streamVersion } } } }',
        { after: firstMovement?.cursor },
      ),
    ) as { stockHistory: Page<{ streamVersion: number }> };
    expect(afterFirst.stockHistory.edges.map((e) => e.node.streamVersion)).toEqual(
      history.stockHistory.edges.slice(1).map((e) => e.node.streamVersion),
    );
    expect(dataOf(await graphql(t.app, '{ stockHistory(productId: "999999") { totalCount } }')).stockHistory).toBeNull();
  });

  it("me is null without a token", async () => {
    expect(dataOf(await graphql(t.app, "{ me { kind } }")).me).toBeNull();
  });
});
