import type { AddressInfo } from "node:net";
import type { Config } from "./config.js";
import { reachDatabase } from "./db/database.js";
import { applyMigrationsInChildProcess } from "./db/migrate-in-child.js";
import { migrationNames, pendingMigrations } from "./db/migrator.js";
import { createPrismaClient } from "./db/prisma.js";
import type { Logger } from "./logger.js";

export type RunningStockroom = {
  /** Where the server listens, e.g. http://127.0.0.1:3000. */
  url: string;
  databaseUrl: string;
  /** Stops accepting, lets in-flight requests finish (bounded), then releases the database. */
  stop(): Promise<void>;
};

/** Opens the database, migrates it, seeds an empty one, and starts listening. */
export async function startStockroom(config: Config, logger: Logger): Promise<RunningStockroom> {
  // The app's modules (most of start-up's CPU) load while the database starts and migrations are
  // checked: the two overlap instead of queueing. Handled here, so that a failure to reach the
  // database is not also reported as an unhandled rejection; awaited (and thrown) below.
  const appModule = import("./app.js");
  appModule.catch(() => undefined);
  const database = await reachDatabase(config, logger);
  try {
    // The engine runs only when something is pending, and then in a process of its own (its memory leaves with it).
    const applied = (await pendingMigrations(database.url)).length > 0 ? await applyMigrationsInChildProcess(database.url) : [];
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    const prisma = createPrismaClient(database.url, { preparedStatements: config.preparedStatements });
    if (config.seedDemoData && (await isEmpty(prisma))) {
      const { seedDemoData } = await import("../prisma/seed.js");
      const { created } = await seedDemoData(prisma, { publicUrl: config.publicUrl });
      logger.info({ created }, "empty database seeded with demo data");
    }
    const { buildApp } = await appModule;
    const { server, realtime, graphqlWs, close } = await buildApp({
      config,
      logger,
      prisma,
      databaseUrl: database.url,
      migrationNames: await migrationNames(),
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.port, config.host, resolve);
    });
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}`;
    logger.info({ url, publicUrl: config.publicUrl, database: database.kind }, "stockroom listening");

    const stop = async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A keep-alive connection turns idle once its in-flight response is sent; close it then,
      // rather than after the keep-alive timeout.
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), 50);
      // Upgraded sockets keep the server open: they close with 1001 once their acks are sent.
      await Promise.all([realtime.close(config.shutdownTimeoutMs), graphqlWs.close(config.shutdownTimeoutMs)]);
      const deadline = setTimeout(() => {
        logger.warn("shutdown timeout reached; closing the connections still open");
        server.closeAllConnections();
      }, config.shutdownTimeoutMs);
      await closed;
      clearTimeout(deadline);
      clearInterval(sweep);
      await close();
      await prisma.$disconnect();
      await database.release();
    };
    return { url, databaseUrl: database.url, stop };
  } catch (error) {
    await database.release();
    throw error;
  }
}

async function isEmpty(prisma: ReturnType<typeof createPrismaClient>): Promise<boolean> {
  const [users, products] = await Promise.all([prisma.user.count(), prisma.product.count()]);
  return users === 0 && products === 0;
}
