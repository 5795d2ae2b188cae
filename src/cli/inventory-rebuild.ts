// npm run inventory:rebuild [-- --fix]: recomputes stock levels from the inventory events,
// prints every difference with the projection, and with --fix repairs them. Exit 0 when
// the projection agrees (or was fixed), 2 when differences remain.
import { createPrismaClient } from "../db/prisma.js";
import { rebuildStockLevels } from "../modules/inventory/projection.js";
import { runWithDatabase } from "./with-database.js";

const fix = process.argv.includes("--fix");
await runWithDatabase(async ({ databaseUrl }) => {
  const prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
  try {
    const differences = await rebuildStockLevels(prisma, { fix });
    const show = (s: { onHand: number; reserved: number; version: number } | null) =>
      s ? `onHand=${s.onHand} reserved=${s.reserved} version=${s.version}` : "missing";
    for (const d of differences) {
      process.stdout.write(`product ${d.productId}: projection ${show(d.projected)}, events ${show(d.fromEvents)}\n`);
    }
    process.stdout.write(
      differences.length === 0
        ? "Stock levels match the events.\n"
        : fix
          ? `Fixed ${differences.length} stock level(s).\n`
          : `${differences.length} stock level(s) differ from the events; run with --fix to repair.\n`,
    );
    return differences.length > 0 && !fix ? 2 : 0;
  } finally {
    await prisma.$disconnect();
  }
});
