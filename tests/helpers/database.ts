import { randomBytes } from "node:crypto";
import type pg from "pg";
import { inject } from "vitest";
import { connectAdmin, dropDatabasesStartingWith } from "./database-server.js";
import { onFileEnd } from "./file-teardown.js";

/** A database of the test server, dropped when the test file ends. */
export type TestDatabase = { url: string; name: string };

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = await connectAdmin(inject("adminDatabaseUrl"));
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

/** URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(inject("adminDatabaseUrl"));
  url.pathname = `/${name}`;
  return url.toString();
}

// Per test file (vitest gives each file its own module instance): the run's prefix plus the file's.
let filePrefix: string | undefined;
let created = 0;

function nextName(): string {
  if (filePrefix === undefined) {
    const prefix = `${inject("databasePrefix")}${randomBytes(4).toString("hex")}_`;
    filePrefix = prefix;
    onFileEnd(() => withAdmin((admin) => dropDatabasesStartingWith(admin, prefix)));
  }
  created += 1;
  return `${filePrefix}${created}`;
}

/**
 * Creates a database for this test file: freshly migrated (a clone of the migrated template), or
 * empty with `{ migrated: false }`. Call it from anywhere (top level, beforeAll, a test): it is
 * dropped when the file ends, and by the run's teardown if the file never gets there.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = nextName();
  const template = options.migrated === false ? "template0" : inject("templateDatabase");
  await withAdmin(async (admin) => {
    // Two files cloning the template at the same moment: PostgreSQL refuses the second (55006).
    for (let attempt = 1; ; attempt++) {
      try {
        return await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
      } catch (error) {
        if ((error as { code?: string }).code !== "55006" || attempt === 20) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return { url: databaseUrl(name), name };
}
