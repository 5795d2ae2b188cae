// bench:realtime's Stockroom: the composed app (buildApp: REST, OAuth, the event feed, the topic
// hub and the WebSocket transport) listening on 127.0.0.1 as production configures it, in its own
// process with --expose-gc. Writes go through the core's stock command, as REST's would; t0 is
// taken just before the command, so a latency covers the transaction, its commit, the feed
// noticing it, the fan-out and the loopback.
import type { AddressInfo } from "node:net";
import { buildApp } from "../src/app.js";
import { systemActor } from "../src/auth/actor.js";
import { loadConfig } from "../src/config.js";
import { migrationNames } from "../src/db/migrator.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { DomainError } from "../src/errors.js";
import { createLogger } from "../src/logger.js";
import { answerParent, memoryAfterGc, wallClock } from "./realtime-ipc.js";

const [databaseUrl, product] = process.argv.slice(2) as [string, string];
const productId = Number(product);
const config = loadConfig({
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  PORT: "0",
  HOST: "127.0.0.1",
  LOG_LEVEL: "error",
  SEED_DEMO_DATA: "false",
  // Every subscriber comes from this machine.
  WS_MAX_SOCKETS_PER_ADDRESS: "1000000",
});
const logger = createLogger(config, { stream: "stderr" });
const prisma = createPrismaClient(databaseUrl);
const { server, realtime, modules, close } = await buildApp({
  config,
  logger,
  prisma,
  databaseUrl,
  migrationNames: await migrationNames(),
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

/** One stock adjustment (+1, with a reason) through the core, timed from just before it. */
async function adjust() {
  const t0 = wallClock();
  const stock = await modules.inventory.commands.moveStock(systemActor, {
    productId,
    kind: "adjust",
    quantity: 1,
    reason: "bench",
  });
  return { t0, written: wallClock(), version: stock.version };
}

process.on("SIGTERM", async () => {
  await close();
  server.close();
  await prisma.$disconnect();
  process.exit(0);
});

answerParent(
  {
    memory: () => ({ ...memoryAfterGc(), sockets: realtime.connectionCount }),
    version: async () => (await prisma.stockLevel.findUniqueOrThrow({ where: { productId } })).version,
    adjust,
    /**
     * `rate` adjustments per second for `seconds` on a fixed schedule (each started on time, none
     * waiting for the last). A write the command runner refuses as overloaded (503 over REST) is
     * counted, not retried: it wrote nothing, so no subscriber owes it a frame.
     */
    async sustain({ rate, seconds }: { rate: number; seconds: number }) {
      const count = Math.round(rate * seconds);
      const writes: Promise<{ t0: number; written: number; version: number } | { refused: string }>[] = [];
      const start = wallClock();
      for (let k = 0; k < count; k++) {
        const wait = start + (k * 1000) / rate - wallClock();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        writes.push(adjust().catch((error) => ({ refused: error instanceof DomainError ? error.code : String(error) })));
      }
      const done = await Promise.all(writes);
      const refused = done.filter((w) => "refused" in w).map((w) => w.refused);
      return { writes: done.filter((w) => !("refused" in w)), refused };
    },
  },
  { url: `ws://127.0.0.1:${port}/ws/products/${productId}/inventory` },
);
