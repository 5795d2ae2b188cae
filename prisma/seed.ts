// Demo data for development and the README's first steps. Idempotent: every row is found by its
// natural key first, so running it again (or from two processes at once) adds nothing.
// The passwords below are published demo credentials: never enable the seed in production.

import type { Prisma, PrismaClient } from "../src/db/prisma.js";
import { hashPassword } from "../src/modules/accounts/passwords.js";
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
  return prisma.$transaction(
    async (tx) => {
      // Two processes seeding one fresh database at once take turns here.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('stockroom:seed'))`;
      let created = 0;
      const users: number[] = [];
      for (const [index, user] of demoUsers.entries()) {
        const existing = await tx.user.findUnique({ where: { email: user.email } });
        const row =
          existing ??
          (await tx.user.create({
            data: { email: user.email, username: user.username, role: user.role, passwordHash: passwordHashes[index] ?? "" },
          }));
        if (!existing) created++;
        users.push(row.id);
      }
      for (const category of catalog) {
        const existing = await tx.category.findUnique({ where: { slug: category.slug } });
        const { id: categoryId } =
          existing ??
          (await tx.category.create({ data: { slug: category.slug, name: category.name, description: category.description } }));
        if (!existing) created++;
        for (const [sku, name, priceAmount, stock] of category.products) {
          if (await tx.product.findUnique({ where: { sku } })) continue;
          const product = await tx.product.create({
            data: {
              sku,
              name,
              priceAmount,
              priceCurrency: "EUR",
              categoryId,
              description: `${name}, from our ${category.name.toLowerCase()} range.`,
            },
          });
          await receiveInitialStock(tx, product.id, stock);
          created++;
        }
      }
      const [staffId, customerId] = users as [number, number];
      for (const post of posts) {
        if (await tx.post.findFirst({ where: { title: post.title } })) continue;
        await tx.post.create({
          data: {
            title: post.title,
            content: post.content,
            authorId: staffId,
            comments: { create: post.comments.map((text, i) => ({ text, authorId: i % 2 === 0 ? customerId : staffId })) },
          },
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
    { timeout: 30_000 },
  );
}

// Opening stock is an event like any other, so rebuilding the projection from events agrees.
async function receiveInitialStock(tx: Prisma.TransactionClient, productId: number, quantity: number): Promise<void> {
  if (quantity > 0) {
    await tx.event.create({
      data: {
        streamType: "inventory",
        streamId: String(productId),
        streamVersion: 1,
        type: "StockReceived",
        data: { productId, quantity, reason: "opening stock (demo seed)" },
        metadata: { actor: "seed" },
      },
    });
  }
  await tx.stockLevel.create({ data: { productId, onHand: quantity, reserved: 0, version: quantity > 0 ? 1 : 0 } });
}
