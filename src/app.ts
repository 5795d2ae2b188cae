import http from "node:http";
import express from "express";
import type { Config } from "./config.js";
import type { PrismaClient } from "./db/prisma.js";
import { healthRoutes } from "./http/health.js";
import { jsonBody } from "./http/json-body.js";
import { problemErrorHandler, unknownRoute } from "./http/problem.js";
import { requestLogging } from "./http/request-logging.js";
import type { Logger } from "./logger.js";
import { createCatalogQueries } from "./modules/catalog/queries.js";
import { catalogRestV1 } from "./modules/catalog/rest-v1.js";

export type AppDependencies = {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  /** Migrations this build ships; /readyz waits until all are applied. */
  migrationNames: readonly string[];
};

/** Composes the Express app and its one HTTP server from the modules. */
export function buildApp({ config, logger, prisma, migrationNames }: AppDependencies) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  app.use(requestLogging(logger));
  app.use(healthRoutes(prisma, migrationNames));

  const catalog = createCatalogQueries(prisma);
  app.use("/api", jsonBody(config.bodyLimitBytes));
  app.use("/api/v1", catalogRestV1(catalog));

  app.use(unknownRoute);
  app.use(problemErrorHandler(logger));

  const server = http.createServer(app);
  return { app, server };
}
