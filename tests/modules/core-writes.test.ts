import request from "supertest";
import { beforeAll, describe, expect, it } from "vitest";
import { createModules, type Modules } from "../../src/modules/index.js";
import { staffActor } from "../helpers/actors.js";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { seededDatabase } from "../helpers/seeded.js";

describe("a write through the core, not through REST", () => {
  it("drops the response cache's kept answers before it returns", async () => {
    const db = await createTestDatabase();
    // Deaf to change announcements (it follows another database), so only the core's own
    // after-write work can make the second read fresh.
    const t = await createTestApp(db.url, { listenTo: (await createTestDatabase()).url });
    const staff = await t.prisma.user.create({ data: { email: "s@x.test", username: "s", role: "staff", passwordHash: "x" } });
    const category = await t.prisma.category.create({ data: { slug: "c", name: "C" } });
    const product = await t.modules.catalog.commands.createProduct(staffActor(staff.id), {
      sku: "CACHE-1",
      name: "Before",
      priceAmount: 100,
      priceCurrency: "EUR",
      categoryId: category.id,
    });
    const read = () => request(t.app).get(`/api/v2/products/${product.id}`).expect(200);
    expect((await read()).body.name).toBe("Before");
    expect((await read()).body.name).toBe("Before"); // kept now
    await t.modules.catalog.commands.updateProduct(staffActor(staff.id), product.id, { name: "After" });
    expect((await read()).body.name).toBe("After");
  });
});

describe("what a command returns", () => {
  let core: Modules;
  let staffId: number;
  let categoryId: number;
  beforeAll(async () => {
    const { prisma } = await seededDatabase();
    core = createModules(prisma);
    staffId = (await prisma.user.findFirstOrThrow({ where: { role: "staff" } })).id;
    categoryId = (await prisma.category.findFirstOrThrow()).id;
  });

  it("equals what a read right after it shows", async () => {
    const actor = staffActor(staffId);
    const { catalog, inventory, blog } = core;
    const created = await catalog.commands.createProduct(actor, {
      sku: "VIEW-1",
      name: "Viewed",
      priceAmount: 250,
      priceCurrency: "EUR",
      categoryId,
    });
    expect(created).toEqual(await catalog.queries.getProductWithStock(created.id));
    const updated = await catalog.commands.updateProduct(actor, created.id, { name: "Viewed again" }, created.version);
    expect(updated).toEqual(await catalog.queries.getProductWithStock(created.id));
    const category = await catalog.commands.updateCategory(actor, categoryId, { name: "Renamed" });
    expect(category).toEqual(await catalog.queries.getCategory(categoryId));

    const stock = await inventory.commands.moveStock(actor, { productId: created.id, kind: "receive", quantity: 5 });
    expect(stock).toEqual(await inventory.queries.stockOf(created.id));

    const post = await blog.commands.createPost(actor, { title: "Views", content: "equal reads" });
    expect(post).toEqual(await blog.queries.getPost(post.id));
    const { position, ...comment } = await blog.commands.addComment(actor, post.id, "first");
    expect(position).toMatch(/^\d+-\d+$/);
    expect([comment]).toEqual((await blog.queries.listComments(post.id, { limit: 10 })).items);
    expect(await blog.commands.updatePost(actor, post.id, { title: "Views, changed" })).toEqual(
      await blog.queries.getPost(post.id),
    );
  });

  it("a comment repeated with its idempotency key is added once and answered with the first", async () => {
    const actor = staffActor(staffId);
    const post = await core.blog.commands.createPost(actor, { title: "Once", content: "only once" });
    const key = "2f0a3c1e-client-id";
    const answers = await Promise.all(
      [1, 2, 3].map(() => core.blog.commands.addComment(actor, post.id, "hi", { idempotencyKey: key })),
    );
    expect(new Set(answers.map((a) => a.id)).size).toBe(1);
    expect(answers[1]).toEqual(answers[0]);
    expect((await core.blog.queries.listComments(post.id, { limit: 10 })).total).toBe(1);
    await expect(core.blog.commands.addComment(actor, post.id, "other text", { idempotencyKey: key })).rejects.toMatchObject({
      code: "Conflict",
    });
  });
});
