import { beforeAll, describe, expect, it } from "vitest";
import { createModules, type Modules } from "../../src/modules/index.js";
import { staffActor } from "../helpers/actors.js";
import { seededDatabase } from "../helpers/seeded.js";
import { countingPrismaClient } from "../helpers/statement-counter.js";

// What GraphQL loads per request, by many ids at once: one statement per batch whatever its size,
// answers in the order asked, unknown ids answered with nothing.
let core: Modules;
let count: (work: () => Promise<unknown>) => Promise<number>;
let postIds: number[];
let productIds: number[];

beforeAll(async () => {
  const db = await seededDatabase();
  const staff = await db.prisma.user.findFirstOrThrow({ where: { role: "staff" } });
  const writer = createModules(db.prisma).blog.commands;
  for (let i = 0; i < 20; i++) {
    const post = await writer.createPost(staffActor(staff.id), { title: `Batch ${i}`, content: "." });
    for (let c = 0; c < i % 4; c++) await writer.addComment(staffActor(staff.id), post.id, `comment ${c}`);
  }
  const counting = countingPrismaClient(db.url);
  core = createModules(counting.prisma);
  count = counting.count;
  postIds = (await db.prisma.post.findMany({ select: { id: true } })).map((p) => p.id);
  productIds = (await db.prisma.product.findMany({ select: { id: true } })).map((p) => p.id);
});

describe("batch queries", () => {
  it("load comments, counts, posts and authors of 3 or 23 posts in one statement each", async () => {
    const blog = core.blog.queries;
    for (const ids of [postIds.slice(0, 3), [...postIds, 987654]]) {
      let comments: Awaited<ReturnType<typeof blog.commentsByPostIds>> = [];
      expect(await count(async () => (comments = await blog.commentsByPostIds(ids, { limit: 2 })))).toBe(1);
      let counts: number[] = [];
      expect(await count(async () => (counts = await blog.commentCountsByPostIds(ids)))).toBe(1);
      expect(await count(() => blog.postsByIds(ids))).toBe(1);
      expect(await count(() => blog.authorsByIds(ids))).toBe(1);
      for (const [i, id] of ids.entries()) {
        const one = id === 987654 ? { items: [], total: 0 } : await blog.listComments(id, { limit: 2 });
        expect(comments[i]).toEqual(one.items);
        expect(counts[i]).toBe(one.total);
      }
    }
    const first = postIds[0] ?? 0;
    expect(await blog.postsByIds([987654, first])).toEqual([undefined, await blog.getPost(first)]);
  });

  it("load products, categories and stock levels by ids in one statement each", async () => {
    const catalog = core.catalog.queries;
    const inventory = core.inventory.queries;
    const ids = [...productIds].reverse();
    let products: Awaited<ReturnType<typeof catalog.productsByIds>> = [];
    expect(await count(async () => (products = await catalog.productsByIds(ids)))).toBe(1);
    expect(products.map((p) => p?.id)).toEqual(ids);
    expect(await count(() => inventory.stockOfMany(ids))).toBe(1);
    const categoryIds = [...new Set(products.map((p) => p?.categoryId ?? 0))];
    let categories: Awaited<ReturnType<typeof catalog.categoriesByIds>> = [];
    expect(await count(async () => (categories = await catalog.categoriesByIds(categoryIds)))).toBe(1);
    expect(categories.map((c) => c?.id)).toEqual(categoryIds);
  });
});
