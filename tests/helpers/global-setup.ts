import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { openEmbeddedDatabase } from "../../src/db/embedded-postgres.js";
import { applyMigrations } from "../../src/db/migrator.js";

// One PostgreSQL server for the run: TEST_DATABASE_URL when set (CI), else an embedded one.
// Migrations are applied once to a template database; each test file clones it (fast and fresh).
export const templateDatabase = `stockroom_template_${process.pid}`;

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  const external = process.env.TEST_DATABASE_URL;
  const embedded = external ? undefined : await openEmbeddedDatabase({ dataDir: path.resolve(".data/test") });
  const adminUrl = external ?? (embedded?.url as string);

  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${templateDatabase}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${templateDatabase}"`);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await applyMigrations(templateUrl.toString());

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);

  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS "${templateDatabase}" WITH (FORCE)`);
    await admin.end();
    await embedded?.stop();
  };
}
