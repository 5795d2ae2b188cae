import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import pg from "pg";
import { describe, expect, inject, it } from "vitest";
import { applyMigrations, diffMigrationsToSchema, migrationNames, migrationsDir } from "../../src/db/migrator.js";
import { createTestDatabase } from "../helpers/database.js";

describe("migrations", () => {
  it("produce exactly the schema in schema.prisma", async () => {
    expect(await diffMigrationsToSchema(inject("adminDatabaseUrl"))).toBe("");
  });

  it("are recorded in _prisma_migrations as prisma migrate deploy records them, once", async () => {
    const db = await createTestDatabase({ migrated: false });
    expect(await applyMigrations(db.url)).toEqual(await migrationNames());
    expect(await applyMigrations(db.url)).toEqual([]);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      "SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name",
    );
    await client.end();
    const expected = await Promise.all(
      (await migrationNames()).map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(`${migrationsDir}/${name}/migration.sql`))
          .digest("hex"),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    );
    expect(rows).toEqual(expected);
  });
});
