// npm run bench:inventory — figures for event-sourced inventory and the event feed.
// Uses a scratch database on DATABASE_URL's server, or on the embedded PostgreSQL. Prints; asserts nothing.
//   1. hot product: N writers on one stream (blind, and optimistic with expectedVersion + retry)
//   2. spread: writers across 1,000 products, beside the same SQL transaction run raw (pgbench if
//      installed, and node-pg), so the application/raw ratio is printed (target >= 0.5)
//   3. feed: events committed/s vs delivered/s, commit-to-delivery latency for one reader
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { systemActor } from "../src/auth/actor.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { DomainError } from "../src/errors.js";
import { EventFeed } from "../src/events/feed.js";
import { createLogger } from "../src/logger.js";
import { createModules } from "../src/modules/index.js";
import { fmt, percentile, runFor, scratchDatabase } from "./lib.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const writers = Number(process.env.BENCH_WRITERS ?? 16);
const out = (line: string) => process.stdout.write(`${line}\n`);

const db = await scratchDatabase("stockroom_bench_inventory");
const prisma = createPrismaClient(db.url, { poolSize: writers });
const { commands } = createModules(prisma).inventory;

// 1,000 products with empty stock levels.
const category = await prisma.category.create({ data: { slug: "bench", name: "Bench" } });
await prisma.product.createMany({
  data: Array.from({ length: 1000 }, (_, i) => ({
    sku: `B-${i}`,
    name: `Bench ${i}`,
    priceAmount: 100,
    priceCurrency: "EUR",
    categoryId: category.id,
  })),
});
const productIds = (await prisma.product.findMany({ select: { id: true }, orderBy: { id: "asc" } })).map((p) => p.id);
await prisma.stockLevel.createMany({ data: productIds.map((productId) => ({ productId })) });
const hot = productIds[0] as number;
const randomProduct = () => productIds[Math.floor(Math.random() * productIds.length)] as number;

out(
  `inventory bench: ${writers} writers, ${seconds} s per phase, PostgreSQL ${(await prisma.$queryRaw<{ server_version: string }[]>`SHOW server_version`)[0]?.server_version}`,
);

// 1. Hot product.
{
  const latencies = await runFor(seconds, writers, () =>
    commands.moveStock(systemActor, { productId: hot, kind: "receive", quantity: 1 }).then(() => {}),
  );
  const level = await prisma.stockLevel.findUniqueOrThrow({ where: { productId: hot } });
  out(
    `hot product, blind writers:       ${fmt(latencies.length / seconds, 0)} commands/s  p50 ${fmt(percentile(latencies, 50))} ms  p99 ${fmt(percentile(latencies, 99))} ms  final onHand ${level.onHand} = ${latencies.length} commands: ${level.onHand === latencies.length ? "ok" : "MISMATCH"}`,
  );

  let conflicts = 0;
  let applied = 0;
  const optimistic = await runFor(seconds, writers, async () => {
    for (;;) {
      const { version } = await prisma.stockLevel.findUniqueOrThrow({ where: { productId: hot } });
      try {
        await commands.moveStock(systemActor, { productId: hot, kind: "receive", quantity: 1, expectedVersion: version });
        applied++;
        return;
      } catch (error) {
        if (!(error instanceof DomainError && error.code === "Conflict")) throw error;
        conflicts++;
      }
    }
  });
  const after = await prisma.stockLevel.findUniqueOrThrow({ where: { productId: hot } });
  out(
    `hot product, expectedVersion:     ${fmt(optimistic.length / seconds, 0)} commands/s  p50 ${fmt(percentile(optimistic, 50))} ms  p99 ${fmt(percentile(optimistic, 99))} ms  conflicts ${conflicts} (retried)  final check: ${after.onHand - level.onHand === applied ? "ok" : "MISMATCH"}`,
  );
}

// 2. Spread across 1,000 products, application vs the same SQL raw.
const spread = await runFor(seconds, writers, () =>
  commands.moveStock(systemActor, { productId: randomProduct(), kind: "receive", quantity: 1 }).then(() => {}),
);
const appRate = spread.length / seconds;
out(
  `spread, application:              ${fmt(appRate, 0)} commands/s  p50 ${fmt(percentile(spread, 50))} ms  p99 ${fmt(percentile(spread, 99))} ms`,
);

const rawPool = new pg.Pool({ connectionString: db.url, max: writers });
const raw = await runFor(seconds, writers, async () => {
  const productId = randomProduct();
  const client = await rawPool.connect();
  try {
    await client.query("BEGIN");
    const { rows } = await client.query("SELECT on_hand, reserved, version FROM stock_levels WHERE product_id = $1 FOR UPDATE", [
      productId,
    ]);
    const version = (rows[0]?.version ?? 0) + 1;
    await client.query(
      "INSERT INTO events (stream_type, stream_id, stream_version, type, data, metadata) VALUES ('inventory', $1, $2, 'StockReceived', $3, '{\"actor\":\"system\"}')",
      [String(productId), version, JSON.stringify({ productId, quantity: 1 })],
    );
    await client.query("SELECT pg_notify('stockroom_events', '')");
    await client.query("UPDATE stock_levels SET on_hand = on_hand + 1, version = $2, updated_at = now() WHERE product_id = $1", [
      productId,
      version,
    ]);
    await client.query("COMMIT");
  } finally {
    client.release();
  }
});
await rawPool.end();
const nodeRate = raw.length / seconds;
out(
  `spread, raw SQL via node-pg:      ${fmt(nodeRate, 0)} tx/s  p50 ${fmt(percentile(raw, 50))} ms  p99 ${fmt(percentile(raw, 99))} ms   application/raw = ${fmt(appRate / nodeRate, 2)}`,
);

const pgbenchScript = path.join(tmpdir(), "stockroom-inventory.pgbench");
writeFileSync(
  pgbenchScript,
  `\\set pid random(${productIds[0]}, ${productIds.at(-1)})
BEGIN;
SELECT on_hand, reserved, version FROM stock_levels WHERE product_id = :pid FOR UPDATE;
INSERT INTO events (stream_type, stream_id, stream_version, type, data, metadata) VALUES ('inventory', :pid::text, (SELECT version + 1 FROM stock_levels WHERE product_id = :pid), 'StockReceived', jsonb_build_object('productId', :pid, 'quantity', 1), '{"actor":"system"}');
SELECT pg_notify('stockroom_events', '');
UPDATE stock_levels SET on_hand = on_hand + 1, version = version + 1, updated_at = now() WHERE product_id = :pid;
END;
`,
);
const pgbench = spawnSync(
  "pgbench",
  ["-n", "-f", pgbenchScript, "-c", String(writers), "-j", "2", "-T", String(seconds), db.url],
  {
    encoding: "utf8",
  },
);
const tps = /tps = ([\d.]+)/.exec(pgbench.stdout ?? "")?.[1];
const pgLatency = /latency average = ([\d.]+) ms/.exec(pgbench.stdout ?? "")?.[1];
out(
  tps
    ? `spread, raw SQL via pgbench:      ${fmt(Number(tps), 0)} tx/s  latency avg ${pgLatency} ms   application/raw = ${fmt(appRate / Number(tps), 2)}   (target >= 0.5)`
    : `spread, raw SQL via pgbench:      not run (${pgbench.error?.message ?? pgbench.stderr?.trim() ?? "pgbench not found"})`,
);

// 3. Feed: one reader, writers committing as fast as they can. Latency runs from the writer's
// commit acknowledgement to delivery (0 when the feed delivered before the ack reached the writer).
{
  const committedAt = new Map<string, number>();
  const deliveredAt = new Map<string, number>();
  const feed = new EventFeed(prisma, db.url, createLogger({ logLevel: "silent" }));
  await feed.start();
  feed.subscribe({}, { onEvent: (event) => deliveredAt.set(String(event.metadata.correlationId), performance.now()) });
  let marker = 0;
  const started = performance.now();
  await runFor(seconds, writers, async () => {
    const id = `m${marker++}`;
    await commands.moveStock(systemActor, { productId: randomProduct(), kind: "receive", quantity: 1, correlationId: id });
    committedAt.set(id, performance.now());
  });
  const drainUntil = performance.now() + 10_000;
  while (deliveredAt.size < committedAt.size && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
  await feed.stop();
  const latencies = [...committedAt].flatMap(([id, at]) => {
    const delivered = deliveredAt.get(id);
    return delivered === undefined ? [] : [Math.max(0, delivered - at)];
  });
  const lastDelivery = Math.max(...deliveredAt.values());
  out(
    `feed, one reader:                 committed ${fmt(committedAt.size / seconds, 0)} events/s, delivered ${fmt(deliveredAt.size / ((lastDelivery - started) / 1000), 0)} events/s (${deliveredAt.size} of ${committedAt.size}); commit-to-delivery p50 ${fmt(percentile(latencies, 50))} ms  p99 ${fmt(percentile(latencies, 99))} ms`,
  );
}

await prisma.$disconnect();
await db.drop();
