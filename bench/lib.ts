// Shared bench plumbing: a scratch database on the configured server, and latency statistics.
import { readFileSync } from "node:fs";
import pg from "pg";
import { loadConfig } from "../src/config.js";
import { reachDatabase } from "../src/db/database.js";
import { applyMigrations } from "../src/db/migrator.js";
import { createLogger } from "../src/logger.js";

/** A fresh, migrated database on the server the app would use (DATABASE_URL or embedded); drop() removes it. */
export async function scratchDatabase(name: string) {
  const config = loadConfig();
  const server = await reachDatabase(config, createLogger({ logLevel: "warn" }, { stream: "stderr" }));
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  const version = (await admin.query("SHOW server_version")).rows[0]?.server_version;
  return {
    url: url.toString(),
    /** e.g. "PostgreSQL 15.19 (DATABASE_URL)": which server the figures come from. */
    description: `PostgreSQL ${version} (${server.kind === "embedded" ? "embedded" : "DATABASE_URL"})`,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.end();
      await server.release();
    },
  };
}

/**
 * Fills the catalog up to `count` products (spread over the existing categories, each with a stock
 * level), written straight in SQL: the benches only read them.
 */
export async function padProducts(prisma: { $executeRawUnsafe(sql: string): Promise<number> }, count: number): Promise<void> {
  await prisma.$executeRawUnsafe(`
    WITH padded AS (
      INSERT INTO products (sku, name, description, price_amount, price_currency, category_id, updated_at)
      SELECT 'PAD-' || n, 'Padding product ' || n, 'A product that fills the catalog to ${count} for the benches',
             100 + n, 'EUR', (SELECT id FROM categories ORDER BY id OFFSET n % (SELECT count(*) FROM categories) LIMIT 1), now()
      FROM generate_series(1, ${count} - (SELECT count(*) FROM products)) AS n
      RETURNING id, price_amount
    )
    INSERT INTO stock_levels (product_id, on_hand, reserved, version, updated_at) SELECT id, price_amount % 50, 0, 0, now() FROM padded`);
}

/** p-th percentile (0-100) of a list of numbers. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Runs `workers` loops of `step` until `seconds` pass; returns per-step latencies in ms. */
export async function runFor(seconds: number, workers: number, step: (worker: number) => Promise<void>): Promise<number[]> {
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: workers }, async (_, worker) => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await step(worker);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return latencies;
}

export const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** Resident memory of a process (VmRSS), in MiB. */
export function rssMiB(pid: number): number {
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]) / 1024;
}
