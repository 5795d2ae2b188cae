import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, inject } from "vitest";

/** A database of the test server, dropped after the file's tests. */
export type TestDatabase = { url: string; name: string };

async function withAdmin<T>(work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await admin.connect();
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

/**
 * Creates a database for this test file: freshly migrated (a clone of the migrated template), or
 * empty with `{ migrated: false }`. It is dropped when the file's tests end.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `stockroom_test_${randomBytes(6).toString("hex")}`;
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
  afterAll(() => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));
  return { url: databaseUrl(name), name };
}
