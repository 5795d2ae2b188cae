import { beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../../src/auth/actor.js";
import type { PrismaClient } from "../../src/db/prisma.js";
import type { DomainError } from "../../src/errors.js";
import type { CatalogCommands } from "../../src/modules/catalog/commands.js";
import { createModules } from "../../src/modules/index.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
let url: string;
let commands: CatalogCommands;
let categoryId: number;
const staff: Actor = { userId: 1, clientId: "stockroom-web", scopes: new Set(["catalog:write"]), roles: ["staff"] };
const integration: Actor = { clientId: "erp", scopes: new Set(["catalog:write"]), roles: [] };

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase());
  commands = createModules(prisma).catalog.commands;
  categoryId = (await prisma.category.findFirstOrThrow()).id;
});

// Read the log directly: the feed would (rightly) hold back events behind other test files' open transactions.
const productEvents = async (id: number) =>
  (
    await prisma.event.findMany({
      where: { streamType: "product", streamId: String(id) },
      orderBy: { streamVersion: "asc" },
      select: { type: true, streamVersion: true },
    })
  ).map((e) => [e.type, e.streamVersion]);

async function expectRefused(work: () => Promise<unknown>, code: DomainError["code"]) {
  const before = await databaseFingerprint(url);
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect((error as DomainError).code).toBe(code);
  expect(await databaseFingerprint(url)).toEqual(before);
}

describe("catalog commands", () => {
  it("create, update and delete a product, each with its event", async () => {
    const created = await commands.createProduct(integration, {
      sku: "NEW-001",
      name: "Cold Brew Bottle",
      priceAmount: 1999,
      priceCurrency: "EUR",
      categoryId,
    });
    expect(created).toMatchObject({ sku: "NEW-001", version: 1 });
    expect(await prisma.stockLevel.findUnique({ where: { productId: created.id } })).toMatchObject({ onHand: 0, version: 0 });

    const updated = await commands.updateProduct(staff, created.id, { priceAmount: 1799 }, 1);
    expect(updated).toMatchObject({ priceAmount: 1799, version: 2 });

    await commands.deleteProduct(staff, created.id, 2);
    expect(await prisma.product.findUnique({ where: { id: created.id } })).toBeNull();
    expect(await productEvents(created.id)).toEqual([
      ["ProductCreated", 1],
      ["ProductUpdated", 2],
      ["ProductDeleted", 3],
    ]);
  });

  it("refuse bad writes and write nothing", async () => {
    const existing = await prisma.product.findFirstOrThrow({ where: { sku: "COF-ESP-250" } });
    const input = { sku: "COF-ESP-250", name: "Dup", priceAmount: 1, priceCurrency: "EUR", categoryId };
    await expectRefused(() => commands.createProduct(staff, input), "Conflict");
    await expectRefused(() => commands.createProduct(staff, { ...input, sku: "X-1", categoryId: 99999 }), "ValidationFailed");
    await expectRefused(
      () => commands.updateProduct(staff, existing.id, { name: "Stale" }, existing.version + 5),
      "PreconditionFailed",
    );
    await expectRefused(() => commands.updateProduct(staff, 424242, { name: "Ghost" }), "NotFound");
    await expectRefused(() => commands.deleteProduct(integration, existing.id), "Forbidden");
    await expectRefused(() => commands.deleteProduct(staff, existing.id, existing.version + 1), "PreconditionFailed");
  });
});
