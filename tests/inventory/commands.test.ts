import { beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "../../src/db/prisma.js";
import { DomainError } from "../../src/errors.js";
import { createModules } from "../../src/modules/index.js";
import type { InventoryCommands } from "../../src/modules/inventory/commands.js";
import type { InventoryQueries } from "../../src/modules/inventory/queries.js";
import { staffActor } from "../helpers/actors.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { seededDatabase } from "../helpers/seeded.js";

let prisma: PrismaClient;
let url: string;
let commands: InventoryCommands;
let queries: InventoryQueries;
const staff = staffActor(1);

beforeAll(async () => {
  ({ prisma, url } = await seededDatabase());
  ({ commands, queries } = createModules(prisma).inventory);
});

async function productWithStock(sku: string) {
  const product = await prisma.product.findFirstOrThrow({ where: { sku } });
  return { id: product.id, stock: await queries.stockOf(product.id) };
}

async function expectRefused(work: () => Promise<unknown>, code: DomainError["code"]) {
  const fingerprint = await databaseFingerprint(url);
  const error = await work().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  // Nothing was written: no event, no projection change, no idempotency record.
  expect(await databaseFingerprint(url)).toEqual(fingerprint);
}

describe("stock movements", () => {
  it("apply each movement kind to on-hand and reserved stock", async () => {
    const { id, stock } = await productWithStock("TEA-SEN-100");
    await commands.moveStock(staff, { productId: id, kind: "receive", quantity: 10 });
    await commands.moveStock(staff, { productId: id, kind: "reserve", quantity: 4 });
    await commands.moveStock(staff, { productId: id, kind: "release", quantity: 1 });
    const shipped = await commands.moveStock(staff, { productId: id, kind: "ship", quantity: 3 });
    expect(shipped).toEqual({
      productId: id,
      onHand: stock.onHand + 10 - 3,
      reserved: 0,
      available: stock.onHand + 7,
      version: stock.version + 4,
    });
    const history = await queries.stockHistory(id, { afterVersion: stock.version, limit: 10 });
    expect(history.map((h) => [h.type, h.quantity, h.actor])).toEqual([
      ["StockReceived", 10, "user:1"],
      ["StockReserved", 4, "user:1"],
      ["ReservationReleased", 1, "user:1"],
      ["StockShipped", 3, "user:1"],
    ]);
    expect(history.every((h) => /^\d+-\d+$/.test(h.position))).toBe(true);
  });

  it("refuse to break the invariants, writing nothing", async () => {
    const { id, stock } = await productWithStock("TEA-ASM-250");
    await expectRefused(
      () => commands.moveStock(staff, { productId: id, kind: "adjust", quantity: -(stock.onHand + 1), reason: "loss" }),
      "InvariantViolated",
    );
    await expectRefused(
      () => commands.moveStock(staff, { productId: id, kind: "reserve", quantity: stock.onHand + 1 }),
      "InvariantViolated",
    );
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "ship", quantity: 1 }), "InvariantViolated");
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "release", quantity: 1 }), "InvariantViolated");
  });

  it("refuse invalid quantities and unknown products, writing nothing", async () => {
    const { id } = await productWithStock("TEA-ASM-250");
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "receive", quantity: 0 }), "ValidationFailed");
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "receive", quantity: -3 }), "ValidationFailed");
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "receive", quantity: 1.5 }), "ValidationFailed");
    await expectRefused(() => commands.moveStock(staff, { productId: id, kind: "adjust", quantity: 2 }), "ValidationFailed");
    await expectRefused(() => commands.moveStock(staff, { productId: 987654, kind: "receive", quantity: 1 }), "NotFound");
  });

  it("refuse a stale expectedVersion with a conflict, writing nothing", async () => {
    const { id, stock } = await productWithStock("KIT-SCL-01");
    await expectRefused(
      () => commands.moveStock(staff, { productId: id, kind: "receive", quantity: 1, expectedVersion: stock.version - 1 }),
      "Conflict",
    );
    const ok = await commands.moveStock(staff, { productId: id, kind: "receive", quantity: 1, expectedVersion: stock.version });
    expect(ok.version).toBe(stock.version + 1);
  });

  it("return the first result for a repeated idempotency key and append nothing", async () => {
    const { id, stock } = await productWithStock("KIT-KTL-01");
    const movement = { productId: id, kind: "receive" as const, quantity: 5, idempotencyKey: "order-42-receipt" };
    const first = await commands.moveStock(staff, movement);
    const fingerprint = await databaseFingerprint(url);
    // Concurrent and later repeats alike.
    const repeats = await Promise.all([1, 2, 3].map(() => commands.moveStock(staff, movement)));
    expect(repeats).toEqual([first, first, first]);
    expect(await databaseFingerprint(url)).toEqual(fingerprint);
    expect((await queries.stockOf(id)).onHand).toBe(stock.onHand + 5);

    // The same key for a different request is a conflict; another caller's key is its own.
    await expectRefused(() => commands.moveStock(staff, { ...movement, quantity: 6 }), "Conflict");
    const other = await commands.moveStock(staffActor(2), movement);
    expect(other.version).toBe(first.version + 1);
  });
});
