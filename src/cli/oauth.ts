// npm run oauth -- <command>: OAuth clients and signing keys (see src/oauth/cli.ts for the commands).
import { createPrismaClient } from "../db/prisma.js";
import { runOAuthCommand } from "../oauth/cli.js";
import { runWithDatabase } from "./with-database.js";

await runWithDatabase(async ({ databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    return await runOAuthCommand(process.argv.slice(2), prisma, process.stdout, process.stderr);
  } finally {
    await prisma.$disconnect();
  }
});
