import { describe, expect, it } from "vitest";
import { migrationNames } from "../../src/db/migrator.js";
import { createLogger } from "../../src/logger.js";
import { startStockroom } from "../../src/start.js";
import { testConfig } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";

describe("start-up on an empty database", () => {
  it("migrates and seeds the first time, and changes nothing the second time", async () => {
    const db = await createTestDatabase({ migrated: false });
    const config = testConfig(db.url);
    const logger = createLogger({ logLevel: "silent" });

    const first = await startStockroom(config, logger);
    expect((await fetch(`${first.url}/readyz`)).status).toBe(200);
    const page = (await (await fetch(`${first.url}/api/v1/products?page_size=100`)).json()) as { count: number };
    expect(page.count).toBe(24);
    await first.stop();

    const seeded = await databaseFingerprint(db.url);
    expect(seeded).toMatchObject({
      _prisma_migrations: { rows: (await migrationNames()).length },
      categories: { rows: 3 },
      products: { rows: 24 },
      stock_levels: { rows: 24 },
      users: { rows: 2 },
      posts: { rows: 3 },
      comments: { rows: 6 },
    });
    // The seed goes through the commands: a ProductCreated per product, a StockReceived per product
    // that has opening stock, a PostCreated per post and a CommentAdded per comment.
    expect(seeded.events?.rows).toBe(24 + 21 + 3 + 6);

    const second = await startStockroom(config, logger);
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
    await second.stop();
    expect(await databaseFingerprint(db.url)).toEqual(seeded);
  });

  it("does not seed when SEED_DEMO_DATA=false", async () => {
    const db = await createTestDatabase({ migrated: false });
    const running = await startStockroom(testConfig(db.url, { SEED_DEMO_DATA: "false" }), createLogger({ logLevel: "silent" }));
    const page = await (await fetch(`${running.url}/api/v1/products`)).json();
    await running.stop();
    expect(page).toEqual({ count: 0, next: null, previous: null, results: [] });
  });
});
