// Demo data for development and the README's first steps. Idempotent: every row is found by its
// natural key first, so running it again (or from two processes at once) adds nothing.
// The passwords below are published demo credentials: never enable the seed in production.

import type { Actor } from "../src/auth/actor.js";
import { apiScopes, type Role } from "../src/auth/scopes.js";
import type { PrismaClient } from "../src/db/prisma.js";
import { hashPassword } from "../src/modules/accounts/passwords.js";
import { createModules } from "../src/modules/index.js";
import { clientExists, registerClient } from "../src/oauth/clients.js";
import { demoWebClientId, demoWebClientPostLogoutUris, demoWebClientRedirectUris } from "../src/oauth/demo-client.js";

export const demoUsers = [
  { email: "staff@stockroom.test", username: "sam-staff", role: "staff", password: "staff-demo-password" },
  { email: "customer@stockroom.test", username: "casey-customer", role: "customer", password: "customer-demo-password" },
] as const;

type DemoProduct = [sku: string, name: string, priceCents: number, stock: number];

const catalog: { slug: string; name: string; description: string; products: DemoProduct[] }[] = [
  {
    slug: "coffee",
    name: "Coffee",
    description: "Beans, grinders and brewers.",
    products: [
      ["COF-ESP-250", "Espresso Blend 250 g", 1290, 40],
      ["COF-ETH-250", "Ethiopia Yirgacheffe 250 g", 1490, 25],
      ["COF-COL-1K", "Colombia Huila 1 kg", 4200, 8],
      ["COF-DEC-250", "Swiss Water Decaf 250 g", 1350, 0],
      ["GRN-HND-01", "Hand Grinder", 8900, 12],
      ["BRW-V60-02", "Pour-over Dripper", 2400, 30],
      ["BRW-PRS-08", "French Press 8 cup", 3500, 6],
      ["FLT-V60-100", "Paper Filters (100)", 650, 120],
    ],
  },
  {
    slug: "tea",
    name: "Tea",
    description: "Loose leaf teas and teaware.",
    products: [
      ["TEA-SEN-100", "Sencha 100 g", 1100, 50],
      ["TEA-ASM-250", "Assam Breakfast 250 g", 1250, 35],
      ["TEA-EGR-100", "Earl Grey 100 g", 990, 0],
      ["TEA-OOL-050", "Tieguanyin Oolong 50 g", 1800, 14],
      ["TEA-MAT-030", "Ceremonial Matcha 30 g", 2600, 9],
      ["TWR-KYU-01", "Kyusu Teapot", 5400, 4],
      ["TWR-CUP-02", "Porcelain Cups (pair)", 2200, 18],
      ["TWR-INF-01", "Steel Infuser", 850, 60],
    ],
  },
  {
    slug: "kitchen",
    name: "Kitchen",
    description: "Tools for the counter.",
    products: [
      ["KIT-SCL-01", "Precision Scale 0.1 g", 3900, 22],
      ["KIT-KTL-01", "Gooseneck Kettle", 7900, 7],
      ["KIT-THM-01", "Instant Thermometer", 1900, 33],
      ["KIT-TMR-01", "Brew Timer", 1200, 0],
      ["KIT-JAR-04", "Airtight Jars (4)", 2900, 15],
      ["KIT-TWL-03", "Barista Towels (3)", 900, 80],
      ["KIT-TMP-58", "Tamper 58 mm", 3100, 11],
      ["KIT-PIT-60", "Milk Pitcher 600 ml", 2100, 26],
    ],
  },
];

const posts = [
  {
    title: "Welcome to the Stockroom blog",
    content: "News about our catalog, brewing guides and the occasional behind-the-scenes story.",
    comments: ["Looking forward to the brewing guides!", "Welcome aboard."],
  },
  {
    title: "Dialing in espresso at home",
    content: "Start at 1:2 in 28 seconds, then change one thing at a time: grind first, dose second.",
    comments: ["The one-variable rule saved my mornings.", "What grinder do you recommend?", "Hand grinder works great."],
  },
  {
    title: "Why we weigh our tea",
    content: "Leaves differ in density; a teaspoon of sencha and of oolong are very different doses.",
    comments: ["Never thought about density, thanks."],
  },
];

export { demoWebClientId, demoWebClientRedirectUris } from "../src/oauth/demo-client.js";

/** Inserts whatever part of the demo data is missing; returns how many rows it created. */
export async function seedDemoData(prisma: PrismaClient, options: { publicUrl?: string } = {}): Promise<{ created: number }> {
  const publicUrl = options.publicUrl ?? "http://localhost:3000";
  // Hash outside the transaction: argon2 is deliberately slow.
  const passwordHashes = await Promise.all(demoUsers.map((u) => hashPassword(u.password)));
  // Accounts and the OAuth client first, committed, so the content's commands can act for the users.
  // maxWait: on a busy machine the first connection of a fresh pool can take longer than Prisma's 2 s.
  const accounts = await prisma.$transaction(
    async (tx) => {
      // Two processes seeding one fresh database at once take turns here.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('stockroom:seed'))`;
      let created = 0;
      for (const [index, user] of demoUsers.entries()) {
        if (await tx.user.findUnique({ where: { email: user.email } })) continue;
        await tx.user.create({
          data: { email: user.email, username: user.username, role: user.role, passwordHash: passwordHashes[index] ?? "" },
        });
        created++;
      }
      if (!(await clientExists(tx, demoWebClientId))) {
        await registerClient(tx, {
          clientId: demoWebClientId,
          name: "Stockroom web",
          grants: ["authorization_code"],
          public: true,
          redirectUris: demoWebClientRedirectUris(publicUrl),
          postLogoutRedirectUris: demoWebClientPostLogoutUris(publicUrl),
        });
        created++;
      }
      return { created };
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
  return { created: accounts.created + (await seedContent(prisma)) };
}

/** The seed acts as a machine client of its own, or for a demo user, with every API scope. */
function seedActor(user?: { id: number; role: Role }): Actor {
  return { userId: user?.id, clientId: "stockroom-seed", scopes: new Set(apiScopes), roles: user ? [user.role] : [] };
}

/**
 * The catalog, opening stock and blog, through the same commands as every other write, so each
 * seeded row has its event. Each command commits on its own; a transaction-level advisory lock
 * held on another connection for the whole run makes concurrent seeds take turns (and is
 * released if the process dies), and every row is looked up by its natural key first.
 */
async function seedContent(prisma: PrismaClient): Promise<number> {
  const { catalog: catalogModule, inventory, blog } = createModules(prisma);
  const catalogCommands = catalogModule.commands;
  const inventoryCommands = inventory.commands;
  const blogCommands = blog.commands;
  return prisma.$transaction(
    async (lock) => {
      await lock.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('stockroom:seed'))`;
      let created = 0;
      const system = seedActor();
      for (const category of catalog) {
        const existing = await prisma.category.findUnique({ where: { slug: category.slug } });
        const { id: categoryId } =
          existing ??
          (await catalogCommands.createCategory(system, {
            slug: category.slug,
            name: category.name,
            description: category.description,
          }));
        if (!existing) created++;
        for (const [sku, name, priceAmount, stock] of category.products) {
          let product = await prisma.product.findUnique({ where: { sku }, include: { stockLevel: true } });
          if (!product) {
            const { id } = await catalogCommands.createProduct(system, {
              sku,
              name,
              priceAmount,
              priceCurrency: "EUR",
              categoryId,
              description: `${name}, from our ${category.name.toLowerCase()} range.`,
            });
            product = await prisma.product.findUniqueOrThrow({ where: { id }, include: { stockLevel: true } });
            created++;
          }
          // Opening stock is a movement like any other (so rebuilding the levels from events agrees),
          // received once: expectedVersion 0 refuses a second receive.
          if (stock > 0 && (product.stockLevel?.version ?? 0) === 0) {
            await inventoryCommands.moveStock(system, {
              productId: product.id,
              kind: "receive",
              quantity: stock,
              reason: "opening stock (demo seed)",
              expectedVersion: 0,
            });
          }
        }
      }
      const [staff, customer] = await Promise.all(
        demoUsers.map((u) => prisma.user.findUniqueOrThrow({ where: { email: u.email }, select: { id: true, role: true } })),
      );
      if (!staff || !customer) throw new Error("the demo users are missing");
      for (const post of posts) {
        const existing = await prisma.post.findFirst({ where: { title: post.title }, select: { id: true } });
        const postId =
          existing?.id ?? (await blogCommands.createPost(seedActor(staff), { title: post.title, content: post.content })).id;
        if (!existing) created++;
        for (const [i, text] of post.comments.entries()) {
          const author = i % 2 === 0 ? customer : staff;
          if (await prisma.comment.findFirst({ where: { postId, authorId: author.id, text }, select: { id: true } })) continue;
          await blogCommands.addComment(seedActor(author), postId, text);
          created++;
        }
      }
      return created;
    },
    { timeout: 120_000, maxWait: 30_000 },
  );
}
