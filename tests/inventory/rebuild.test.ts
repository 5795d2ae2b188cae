import { beforeAll, describe, expect, it } from "vitest";
import { systemActor } from "../../src/auth/actor.js";
import type { PrismaClient } from "../../src/db/prisma.js";
import { createModules } from "../../src/modules/index.js";
import { rebuildStockLevels } from "../../src/modules/inventory/projection.js";
import { createInventoryQueries } from "../../src/modules/inventory/queries.js";
import { runScript } from "../helpers/process.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
let url: string;
beforeAll(async () => {
  ({ prisma, url } = await seededDatabase());
});

describe("rebuilding the stock projection from the events", () => {
  it("agrees with the projection the commands maintain", async () => {
    const { commands } = createModules(prisma).inventory;
    const [a, b] = await prisma.product.findMany({ take: 2, orderBy: { id: "asc" } });
    await commands.moveStock(systemActor, { productId: a?.id ?? 0, kind: "receive", quantity: 7 });
    await commands.moveStock(systemActor, { productId: b?.id ?? 0, kind: "reserve", quantity: 2 });
    expect(await rebuildStockLevels(prisma, { fix: false })).toEqual([]);
  });

  it("reports a corrupted projection and fixes it", async () => {
    const queries = createInventoryQueries(prisma);
    const product = await prisma.product.findFirstOrThrow({ where: { sku: "KIT-JAR-04" } });
    const truth = await queries.stockOf(product.id);
    await prisma.$executeRaw`UPDATE stock_levels SET on_hand = on_hand + 100, reserved = 3 WHERE product_id = ${product.id}`;

    expect(await rebuildStockLevels(prisma, { fix: false })).toEqual([
      {
        productId: product.id,
        projected: { onHand: truth.onHand + 100, reserved: 3, version: truth.version },
        fromEvents: { onHand: truth.onHand, reserved: truth.reserved, version: truth.version },
      },
    ]);
    await rebuildStockLevels(prisma, { fix: true });
    expect(await queries.stockOf(product.id)).toEqual(truth);
    expect(await rebuildStockLevels(prisma, { fix: false })).toEqual([]);
  });

  it("npm run inventory:rebuild prints the difference, exits 2, and repairs with --fix", async () => {
    const product = await prisma.product.findFirstOrThrow({ where: { sku: "KIT-TWL-03" } });
    await prisma.$executeRaw`UPDATE stock_levels SET on_hand = 0 WHERE product_id = ${product.id}`;
    const env = { DATABASE_URL: url };

    const check = await runScript("src/cli/inventory-rebuild.ts", [], env);
    expect(check.code, check.stderr).toBe(2);
    expect(check.stdout).toContain(
      `product ${product.id}: projection onHand=0 reserved=0 version=1, events onHand=80 reserved=0 version=1`,
    );

    const fix = await runScript("src/cli/inventory-rebuild.ts", ["--fix"], env);
    expect(fix.code, fix.stderr).toBe(0);
    expect(fix.stdout).toContain("Fixed 1 stock level(s).");
    const again = await runScript("src/cli/inventory-rebuild.ts", [], env);
    expect(again.stdout).toContain("Stock levels match the events.");
  });
});
