// npm run db:seed: inserts whatever demo data is missing (idempotent).
import { seedDemoData } from "../../prisma/seed.js";
import { createPrismaClient } from "../db/prisma.js";
import { runWithDatabase } from "./with-database.js";

await runWithDatabase(async ({ config, databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    const { created } = await seedDemoData(prisma, { publicUrl: config.publicUrl });
    process.stdout.write(created ? `Seeded ${created} demo records.\n` : "Demo data already present.\n");
  } finally {
    await prisma.$disconnect();
  }
});
