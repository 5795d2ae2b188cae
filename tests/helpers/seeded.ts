import { afterAll } from "vitest";
import { seedDemoData } from "../../prisma/seed.js";
import { createPrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "./database.js";

/** A freshly migrated database with the demo data, and a Prisma client on it (closed after the file). */
export async function seededDatabase(options: { poolSize?: number } = {}) {
  const db = await createTestDatabase();
  const prisma = createPrismaClient(db.url, { poolSize: options.poolSize ?? 10 });
  afterAll(() => prisma.$disconnect());
  await seedDemoData(prisma);
  return { ...db, prisma };
}
