import express from "express";
import { authenticate } from "./auth/middleware.js";
import type { Config } from "./config.js";
import type { PrismaClient } from "./db/prisma.js";
import { EventFeed } from "./events/feed.js";
import { createGraphqlEndpoint, graphqlPath } from "./graphql/server.js";
import { attachGraphqlWs } from "./graphql/ws.js";
import { createExpressServer } from "./http/express-server.js";
import { serveHealth } from "./http/health.js";
import { homePage } from "./http/home.js";
import { jsonBody } from "./http/json-body.js";
import { problemErrorHandler, unknownRoute } from "./http/problem.js";
import { requestLogging } from "./http/request-logging.js";
import { ResponseCache } from "./http/response-cache.js";
import { loadWebClient } from "./http/web-client.js";
import type { Logger } from "./logger.js";
import { createModules } from "./modules/index.js";
import { oauthMountPath } from "./oauth/paths.js";
import { realtimeDocsPath, realtimeDocsRoutes } from "./realtime/docs-route.js";
import { TopicHub } from "./realtime/hub.js";
import { attachRealtime } from "./realtime/server.js";
import { evaluateConditionalRequests } from "./rest/conditional.js";
import { apiCors } from "./rest/cors.js";
import { buildRestApi } from "./rest/index.js";
import { redocPath, redocRoutes, serveOpenApiDocuments, swaggerUiRoutes } from "./rest/openapi.js";
import { responseValidation } from "./rest/response-validation.js";

export type AppDependencies = {
  config: Config;
  logger: Logger;
  prisma: PrismaClient;
  /** The database behind `prisma`, for listeners that need a connection of their own. */
  databaseUrl: string;
  /** Migrations this build ships; /readyz waits until all are applied. */
  migrationNames: readonly string[];
};

/** Composes the Express app and its one HTTP server from the modules (async: the OAuth keys load from the database). */
export async function buildApp({ config, logger, prisma, databaseUrl, migrationNames }: AppDependencies) {
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", "simple");
  evaluateConditionalRequests(app);
  if (config.trustProxy) app.set("trust proxy", true);
  app.use(requestLogging(app, logger));
  serveHealth(app, prisma, migrationNames);

  // The authorization server parses its own bodies, so it comes before any body parser.
  // Imported here, not at the top: oidc-provider prints a runtime warning on import, which must
  // not precede the one-line message of a configuration error.
  const { createIdentity } = await import("./oauth/identity.js");
  const identity = await createIdentity({ config, logger, prisma, databaseUrl });
  const responseCache = new ResponseCache({ maxEntries: config.responseCacheEntries });
  await responseCache.follow(databaseUrl, logger);
  // Every write, whichever transport made it, drops the kept answers before it is answered.
  const modules = createModules(prisma, { afterWrite: [() => responseCache.invalidate()] });
  const graphql = await createGraphqlEndpoint({
    modules,
    verifyAccessToken: identity.verifyAccessToken,
    config,
    logger,
    responseCache,
  });
  // First after the health checks: no other route answers under /graphql, and each layer a
  // request passes costs it a match (the cached answers are a few hundred microseconds in all).
  app.use(graphqlPath, graphql.router);
  app.use(oauthMountPath, identity.router);

  const rest = buildRestApi(modules, responseCache);
  const versions = Object.values(rest.versions);
  // Before the REST docs: Swagger UI answers every path under /docs.
  app.use(realtimeDocsPath, realtimeDocsRoutes());
  app.use("/docs", swaggerUiRoutes(versions, config));
  app.use(redocPath, redocRoutes(versions));

  // One router for /api: a request is matched against its prefix once.
  const api = express.Router();
  // CORS before authentication, so that a 401 still reaches the browser app that must react to it.
  api.use(apiCors(config.corsOrigins), authenticate(identity.verifyAccessToken), jsonBody(config.bodyLimitBytes));
  serveOpenApiDocuments(api, versions, config);
  if (config.validateResponses) api.use(await responseValidation(versions, config));
  rest.mountOn(api);
  app.use("/api", api);

  const webClient = loadWebClient(config.webDistDir, logger);
  if (webClient) app.use(webClient.router);
  app.get("/", homePage(config, webClient?.sendIndex));
  app.use(unknownRoute);
  app.use(problemErrorHandler(logger));

  // One feed per process: the realtime and GraphQL subscriptions subscribe to this instance.
  const feed = new EventFeed(prisma, databaseUrl, logger);
  await feed.start();
  const hub = new TopicHub(feed, modules, logger);
  hub.start();

  const server = createExpressServer(app);
  const graphqlWs = attachGraphqlWs({
    schema: graphql.schema,
    modules,
    hub,
    verifyAccessToken: identity.verifyAccessToken,
    config,
    logger,
  });
  const realtime = attachRealtime(server, {
    otherPaths: { [graphqlPath]: graphqlWs.handleUpgrade },
    hub,
    modules,
    verify: identity.verifyAccessToken,
    limits: config.realtime,
    logger,
    trustProxy: config.trustProxy,
  });
  /** Closes every upgraded socket (WebSocket and GraphQL over graphql-ws): they keep the server open otherwise. */
  const closeSockets = async () => {
    await Promise.all([realtime.close(config.shutdownTimeoutMs), graphqlWs.close()]);
  };
  /** Releases what the app holds besides the server: sockets, key refresh timers, LISTEN connections. */
  const close = async () => {
    await closeSockets();
    hub.stop();
    await identity.close();
    await Promise.all([responseCache.close(), feed.stop(), graphql.stop()]);
  };
  server.on("close", () => void close());
  return { app, server, identity, feed, hub, realtime, graphqlWs, modules, rest, graphql, closeSockets, close };
}
