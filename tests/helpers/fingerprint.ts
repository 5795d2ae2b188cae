import pg from "pg";

/** Row count and a content hash of every table: equal fingerprints mean nothing changed. */
export async function databaseFingerprint(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
    );
    const fingerprint: Record<string, { rows: number; md5: string }> = {};
    for (const { tablename } of tables.rows) {
      const { rows } = await client.query<{ rows: string; md5: string }>(
        `SELECT count(*) AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS md5 FROM "${tablename}" t`,
      );
      fingerprint[tablename] = { rows: Number(rows[0]?.rows), md5: rows[0]?.md5 ?? "" };
    }
    return fingerprint;
  } finally {
    await client.end();
  }
}
