import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/auth/actor.js";
import type { ApiScope } from "../../src/auth/scopes.js";
import type { PrismaClient } from "../../src/db/prisma.js";
import type { DomainError } from "../../src/errors.js";
import { createModules, type Modules } from "../../src/modules/index.js";
import { userActor } from "../helpers/actors.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { seededDatabase } from "../helpers/seeded.js";

// Commands authorize the caller themselves: called directly (as a GraphQL resolver or a socket
// handler would), without the scope or role a write needs, each refuses and writes nothing.
let prisma: PrismaClient;
let url: string;
let core: Modules;
let ids: { product: number; category: number; post: number; comment: number; staff: number };

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase());
  core = createModules(prisma);
  const staff = await prisma.user.findFirstOrThrow({ where: { role: "staff" } });
  const post = await prisma.post.findFirstOrThrow({ where: { authorId: staff.id }, include: { comments: true } });
  ids = {
    product: (await prisma.product.findFirstOrThrow()).id,
    category: (await prisma.category.findFirstOrThrow()).id,
    post: post.id,
    comment: post.comments.find((c) => c.authorId === staff.id)?.id ?? 0,
    staff: staff.id,
  };
});

const allBut = (scope: ApiScope): ApiScope[] =>
  (["catalog:write", "inventory:write", "blog:write", "admin"] as ApiScope[]).filter((s) => s !== scope);

async function refusal(work: () => Promise<unknown>): Promise<DomainError["code"] | "accepted"> {
  return work().then(
    () => "accepted" as const,
    (error: DomainError) => error.code,
  );
}

type Write = { name: string; scope: ApiScope; run: (actor: Actor | undefined) => Promise<unknown> };
const writes = (): Write[] => [
  {
    name: "createCategory",
    scope: "catalog:write",
    run: (a) => core.catalog.commands.createCategory(a, { slug: "x", name: "X" }),
  },
  {
    name: "updateCategory",
    scope: "catalog:write",
    run: (a) => core.catalog.commands.updateCategory(a, ids.category, { name: "Y" }),
  },
  { name: "deleteCategory", scope: "catalog:write", run: (a) => core.catalog.commands.deleteCategory(a, ids.category) },
  {
    name: "createProduct",
    scope: "catalog:write",
    run: (a) =>
      core.catalog.commands.createProduct(a, {
        sku: "NEW-1",
        name: "N",
        priceAmount: 100,
        priceCurrency: "EUR",
        categoryId: ids.category,
      }),
  },
  {
    name: "updateProduct",
    scope: "catalog:write",
    run: (a) => core.catalog.commands.updateProduct(a, ids.product, { name: "Z" }),
  },
  { name: "deleteProduct", scope: "catalog:write", run: (a) => core.catalog.commands.deleteProduct(a, ids.product) },
  {
    name: "moveStock",
    scope: "inventory:write",
    run: (a) => core.inventory.commands.moveStock(a, { productId: ids.product, kind: "receive", quantity: 1 }),
  },
  { name: "createPost", scope: "blog:write", run: (a) => core.blog.commands.createPost(a, { title: "T", content: "C" }) },
  { name: "updatePost", scope: "blog:write", run: (a) => core.blog.commands.updatePost(a, ids.post, { title: "T2" }) },
  { name: "deletePost", scope: "blog:write", run: (a) => core.blog.commands.deletePost(a, ids.post) },
  { name: "addComment", scope: "blog:write", run: (a) => core.blog.commands.addComment(a, ids.post, "hello") },
  { name: "deleteComment", scope: "blog:write", run: (a) => core.blog.commands.deleteComment(a, ids.comment) },
];

describe("every write command authorizes its caller", () => {
  it.each(writes().map((w) => [w.name, w] as const))(
    "%s refuses no actor, a missing scope, and writes nothing",
    async (_, write) => {
      const before = await databaseFingerprint(url);
      expect(await refusal(() => write.run(undefined))).toBe("Unauthenticated");
      // The staff member who owns the post and comment, with every scope but the one this write needs.
      expect(await refusal(() => write.run(userActor(ids.staff, "staff", allBut(write.scope))))).toBe("Forbidden");
      expect(await databaseFingerprint(url)).toEqual(before);
    },
  );

  it("role rules hold too: a customer holding catalog:write may not delete products or categories", async () => {
    const before = await databaseFingerprint(url);
    const customer = await prisma.user.findFirstOrThrow({ where: { role: "customer" } });
    const actor = userActor(customer.id, "customer", ["catalog:write"]);
    expect(await refusal(() => core.catalog.commands.deleteProduct(actor, ids.product))).toBe("Forbidden");
    expect(await refusal(() => core.catalog.commands.deleteCategory(actor, ids.category))).toBe("Forbidden");
    expect(await databaseFingerprint(url)).toEqual(before);
  });
});
