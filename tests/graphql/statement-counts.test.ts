import { beforeAll, describe, expect, it } from "vitest";
import { createModules } from "../../src/modules/index.js";
import { staffActor } from "../helpers/actors.js";
import { createTestApp } from "../helpers/app.js";
import { postsQuery, productsQuery } from "../helpers/graphql-operations.js";
import { seededDatabase } from "../helpers/seeded.js";
import { countingPrismaClient } from "../helpers/statement-counter.js";
import { dataOf, graphql } from "./helpers.js";

// N+1 is gone: a query's SQL statements do not grow with its page sizes. The app runs over a
// Prisma client that counts every statement it sends.
let t: Awaited<ReturnType<typeof createTestApp>>;
let count: (work: () => Promise<unknown>) => Promise<number>;

beforeAll(async () => {
  const db = await seededDatabase();
  // 100 products over the 3 categories, and 20 posts with 10 comments each.
  const staff = await db.prisma.user.findFirstOrThrow({ where: { role: "staff" } });
  const core = createModules(db.prisma);
  const categories = await db.prisma.category.findMany();
  for (let i = 0; i < 76; i++) {
    const category = categories[i % categories.length];
    await core.catalog.commands.createProduct(staffActor(staff.id), {
      sku: `COUNT-${i}`,
      name: `Counted ${i}`,
      priceAmount: 100 + i,
      priceCurrency: "EUR",
      categoryId: category?.id ?? 0,
    });
  }
  for (let p = 0; p < 20; p++) {
    const post = await core.blog.commands.createPost(staffActor(staff.id), { title: `Post ${p}`, content: "." });
    for (let c = 0; c < 10; c++) await core.blog.commands.addComment(staffActor(staff.id), post.id, `Comment ${c}`);
  }
  const counting = countingPrismaClient(db.url);
  count = counting.count;
  t = await createTestApp(db.url, { prisma: counting.prisma });
  dataOf(await graphql(t.app, "{ postConnection(first: 1) { edges { cursor } } products(first: 1) { edges { cursor } } }"));
});

async function statements(query: string, first: number) {
  let data: Record<string, unknown> = {};
  const n = await count(async () => {
    data = dataOf(await graphql(t.app, query, { first }));
  });
  return { n, data };
}

describe("SQL statements per query", () => {
  it("products with category and stock: one statement for 5, 20 and 100 products (the category joined)", async () => {
    const counts: number[] = [];
    for (const first of [5, 20, 100]) {
      const { n, data } = await statements(productsQuery, first);
      const edges = (data.products as { edges: { node: { category: { name: string }; stock: { available: number } } }[] }).edges;
      expect(edges).toHaveLength(first);
      expect(edges.every((e) => e.node.category.name && typeof e.node.stock.available === "number")).toBe(true);
      counts.push(n);
    }
    expect(counts).toEqual([1, 1, 1]);
  });

  it("products whose categories are asked for more than the join reads: one more statement, whatever the size", async () => {
    const query = `query($first: Int!) { products(first: $first) { edges { node { sku category { name description createdAt } } } } }`;
    const categories = await t.prisma.category.findMany();
    const counts: number[] = [];
    for (const first of [5, 100]) {
      const { n, data } = await statements(query, first);
      const edges = (data.products as { edges: { node: { category: { name: string; description: string } } }[] }).edges;
      expect(edges).toHaveLength(first);
      for (const { node } of edges) {
        expect(categories.some((c) => c.name === node.category.name && c.description === node.category.description)).toBe(true);
      }
      counts.push(n);
    }
    expect(counts).toEqual([2, 2]);
  });

  it("posts × 10 comments × author: the same count for 3 and 20 posts", async () => {
    const counts: number[] = [];
    for (const first of [3, 20]) {
      const { n, data } = await statements(postsQuery, first);
      const edges = (data.postConnection as { edges: { node: { comments: { edges: unknown[] } } }[] }).edges;
      expect(edges).toHaveLength(first);
      expect(edges.every((e) => e.node.comments.edges.length === 10)).toBe(true);
      counts.push(n);
    }
    expect(counts).toEqual([counts[0], counts[0]]);
    expect(counts[0]).toBeLessThanOrEqual(3);
  });
});
