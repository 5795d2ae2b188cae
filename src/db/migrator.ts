import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { packageRoot } from "../package-root.js";

/** Where the Prisma schema and its migrations live (at the package root, for src/ and dist/src/ alike). */
export const prismaDir = path.join(packageRoot(import.meta.dirname), "prisma");
export const schemaPath = path.join(prismaDir, "schema.prisma");
export const migrationsDir = path.join(prismaDir, "migrations");

const noFilters = { externalTables: [], externalEnums: [] };

/** Reads prisma/migrations exactly as `prisma migrate deploy` would hand it to the engine. */
export async function readMigrationsList(): Promise<MigrationList> {
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(path.join(migrationsDir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  const lockfilePath = path.join(migrationsDir, "migration_lock.toml");
  const lockfile = await readFile(lockfilePath, "utf8").catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockfile },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

async function withEngine<T>(url: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  // Imported here: a process that only asks what is pending never loads the engine's bindings.
  const { explainEngineError, openSchemaEngine } = await import("./schema-engine.js");
  const { engine, close } = await openSchemaEngine(url, schemaPath);
  try {
    return await work(engine);
  } catch (error) {
    throw explainEngineError(error);
  } finally {
    await close();
  }
}

/** Applies every pending migration (recorded in `_prisma_migrations`); returns the names applied. */
export async function applyMigrations(url: string): Promise<string[]> {
  const migrationsList = await readMigrationsList();
  return withEngine(url, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: noFilters });
    return appliedMigrationNames;
  });
}

/**
 * SQL that takes a database built by the migrations to the schema in schema.prisma
 * (replayed in a throwaway shadow database on the server of `url`). Empty when they agree.
 */
export async function diffMigrationsToSchema(url: string): Promise<string> {
  const migrationsList = await readMigrationsList();
  const schema = await readFile(schemaPath, "utf8");
  return withEngine(url, async (engine) => {
    const result = await engine.diff({
      from: migrationsList.migrationDirectories.length === 0 ? { tag: "empty" } : { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: schema }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    const sql = result.stdout ?? "";
    return isEmptyScript(sql) ? "" : sql;
  });
}

function isEmptyScript(sql: string): boolean {
  return sql
    .split("\n")
    .map((line) => line.trim())
    .every((line) => line === "" || line.startsWith("--"));
}

/**
 * The folder's migrations that `url` has not recorded as applied, plus any recorded as failed:
 * empty exactly when applyMigrations would have nothing to do (the engine then reports a failed
 * one itself). One query, no engine: what a start on an up-to-date database costs.
 */
export async function pendingMigrations(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const recorded = await client
      .query<{ migration_name: string; finished: boolean; rolled_back: boolean }>(
        "SELECT migration_name, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back FROM _prisma_migrations",
      )
      .catch((error: { code?: string }) => {
        if (error.code === "42P01") return { rows: [] }; // undefined_table: a database never migrated
        throw error;
      });
    const applied = new Set(recorded.rows.filter((row) => row.finished && !row.rolled_back).map((row) => row.migration_name));
    const failed = recorded.rows.filter((row) => !row.finished && !row.rolled_back).map((row) => row.migration_name);
    return [...new Set([...(await migrationNames()).filter((name) => !applied.has(name)), ...failed])];
  } finally {
    await client.end();
  }
}

/** Names of the migrations in the folder, oldest first. */
export async function migrationNames(): Promise<string[]> {
  return (await readMigrationsList()).migrationDirectories.map((d) => d.path);
}
