// The data bench:graphql reads: the seed's 24 products in 3 categories, and 20 posts of 10
// comments each by several authors, written through the core.
import { seedDemoData } from "../prisma/seed.js";
import type { Actor } from "../src/auth/actor.js";
import type { PrismaClient } from "../src/db/prisma.js";
import { createModules } from "../src/modules/index.js";

/** Seeds a migrated, empty database for bench:graphql. */
export async function seedGraphqlBenchData(prisma: PrismaClient): Promise<void> {
  await seedDemoData(prisma);
  const users = await prisma.user.findMany({ orderBy: { id: "asc" } });
  const writer = (index: number): Actor => ({
    userId: users[index % users.length]?.id ?? 0,
    clientId: "bench",
    scopes: new Set(["blog:write"]),
    roles: ["staff"],
  });
  const core = createModules(prisma);
  for (let p = 0; p < 20; p++) {
    const post = await core.blog.commands.createPost(writer(p), { title: `Bench post ${p}`, content: "Text. ".repeat(40) });
    for (let c = 0; c < 10; c++) await core.blog.commands.addComment(writer(p + c), post.id, `Comment ${c} on post ${p}`);
  }
}
