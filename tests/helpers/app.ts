import { Writable } from "node:stream";
import { pino } from "pino";
import { buildApp } from "../../src/app.js";
import { type Config, loadConfig } from "../../src/config.js";
import { migrationNames } from "../../src/db/migrator.js";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { onFileEnd } from "./file-teardown.js";

/** Config as the server would parse it, for a test database (quiet, random port). */
export function testConfig(databaseUrl: string, env: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: "test", DATABASE_URL: databaseUrl, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "silent", ...env });
}

/** A logger whose JSON lines the test can read back. */
export function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

/** The composed app over `databaseUrl` (already migrated), for supertest; closed after the file. */
export async function createTestApp(
  databaseUrl: string,
  /**
   * listenTo: the database whose change announcements the app follows (default: its own);
   * prisma: the client the app uses (e.g. one that counts statements), closed by its owner.
   */
  options: { env?: Record<string, string>; listenTo?: string; prisma?: PrismaClient } = {},
) {
  const config = testConfig(databaseUrl, options.env);
  const { logger, lines } = capturingLogger();
  const prisma = options.prisma ?? createPrismaClient(databaseUrl, { poolSize: 4 });
  const { app, server, modules, graphql, close } = await buildApp({
    config,
    logger,
    prisma,
    databaseUrl: options.listenTo ?? databaseUrl,
    migrationNames: await migrationNames(),
  });
  onFileEnd(async () => {
    await close();
    if (!options.prisma) await prisma.$disconnect();
  });
  return { app, server, modules, graphql, prisma, logLines: lines, config };
}
