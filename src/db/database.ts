import pg from "pg";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

/** Where the data lives for this process: a URL, and how to let go of it. */
export type DatabaseHandle = {
  url: string;
  /** "external" (DATABASE_URL) or "embedded" (STOCKROOM_DATA_DIR). */
  kind: "external" | "embedded";
  /** Stops the embedded PostgreSQL if this process started it; otherwise nothing. */
  release(): Promise<void>;
};

/**
 * Reaches the configured database: DATABASE_URL when set; otherwise the embedded PostgreSQL of the
 * data folder, joining the one a running server (or command) already started, else starting it.
 * Servers and CLI commands all come through here, so they always meet the same data.
 */
export async function reachDatabase(config: Pick<Config, "databaseUrl" | "dataDir">, logger: Logger): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, kind: "external", release: async () => {} };
  }
  // Imported here: a process on DATABASE_URL never loads the embedded server's code.
  const { openEmbeddedDatabase } = await import("./embedded-postgres.js");
  const embedded = await openEmbeddedDatabase({ dataDir: config.dataDir, logger });
  const url = new URL(embedded.url);
  url.pathname = "/stockroom";
  await ensureDatabaseExists(embedded.url, "stockroom");
  logger.info({ port: embedded.port, dataDir: config.dataDir, owned: embedded.owned }, "embedded PostgreSQL ready");
  return { url: url.toString(), kind: "embedded", release: () => embedded.stop() };
}

async function ensureDatabaseExists(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name}"`).catch((error: { code?: string }) => {
        // Another process created it between our check and our CREATE.
        if (error.code !== "42P04") throw error;
      });
    }
  } finally {
    await client.end();
  }
}
