import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openEmbeddedDatabase } from "../../src/db/embedded-postgres.js";
import { applyMigrations } from "../../src/db/migrator.js";
import { connectAdmin, dropAbandonedRuns, dropDatabasesStartingWith, runPrefix } from "./database-server.js";

declare module "vitest" {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
    /** Prefix of every database this run creates (see database-server.ts). */
    databasePrefix: string;
  }
}

/**
 * One PostgreSQL server for the run: TEST_DATABASE_URL when set (CI), else an embedded one in
 * `dataDir`, removed at the end. Migrations are applied once to a template database; each test
 * file clones it (fast and fresh). The teardown drops every database of the run, including those
 * of files whose worker crashed, and the setup drops those of runs that were killed.
 */
export async function setupTestServer(project: TestProject, options: { dataDir: string }) {
  const runId = randomBytes(4).toString("hex");
  const external = process.env.TEST_DATABASE_URL;
  const embedded = external ? undefined : await openEmbeddedDatabase({ dataDir: options.dataDir });
  const adminUrl = external ?? (embedded?.url as string);
  const prefix = runPrefix(runId);
  const templateDatabase = `${prefix}template`;

  // This session marks the run alive until the teardown (dropAbandonedRuns).
  const admin = await connectAdmin(adminUrl, runId);
  const teardown = async () => {
    try {
      await dropDatabasesStartingWith(admin, prefix);
    } finally {
      await admin.end();
      await embedded?.stop();
      // Only the run that started the server removes its folder; one that joined a running one leaves it.
      if (embedded?.owned) await rm(options.dataDir, { recursive: true, force: true });
    }
  };
  try {
    await dropAbandonedRuns(admin);
    await admin.query(`CREATE DATABASE "${templateDatabase}"`);
    const templateUrl = new URL(adminUrl);
    templateUrl.pathname = `/${templateDatabase}`;
    await applyMigrations(templateUrl.toString());
  } catch (error) {
    await teardown();
    throw error;
  }

  project.provide("adminDatabaseUrl", adminUrl);
  project.provide("templateDatabase", templateDatabase);
  project.provide("databasePrefix", prefix);
  return teardown;
}

export default (project: TestProject) => setupTestServer(project, { dataDir: path.resolve(".data/test") });
