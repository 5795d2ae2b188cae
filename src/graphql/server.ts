// The GraphQL endpoint over HTTP: Apollo Server 5 on Express at /graphql, over the same core and
// the same token verifier as REST, with the limits, the deadline and masked errors of this folder.
import { ApolloServer, type ApolloServerPlugin } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from "@apollo/server/plugin/disabled";
import { expressMiddleware } from "@as-integrations/express5";
import { type ErrorRequestHandler, Router } from "express";
import { authenticate } from "../auth/middleware.js";
import type { AccessTokenVerifier } from "../auth/verifier.js";
import type { Config } from "../config.js";
import { asDomainError, errorCatalog } from "../errors.js";
import { bodyParserError, jsonBody } from "../http/json-body.js";
import type { ResponseCache } from "../http/response-cache.js";
import type { Logger } from "../logger.js";
import type { Modules } from "../modules/index.js";
import { compiledExecutionGateway } from "./compiled-executor.js";
import { createContext, type GraphQLContext } from "./context.js";
import { boundByDeadline, deadlinePlugin } from "./deadline.js";
import { formatError } from "./errors.js";
import { explorerRoutes } from "./explorer/page.js";
import { armor, checkComplexity, parseOptions } from "./limits.js";
import { cacheablePlugin, graphqlResponseCache, rememberContext } from "./response-cache.js";
import { buildSchema } from "./schema.js";

/** Where the endpoint is mounted: HTTP and graphql-ws alike. */
export const graphqlPath = "/graphql";

export type GraphqlDependencies = {
  modules: Modules;
  verifyAccessToken: AccessTokenVerifier;
  config: Config;
  logger: Logger;
  /** Where anonymous catalog answers are kept (REST's cache; the core's writes empty it). */
  responseCache?: ResponseCache;
};

// Errors raised before Apollo sees the request (a bad token, an unreadable body) in GraphQL's shape.
const graphqlErrorHandler: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const known = asDomainError(error) ?? bodyParserError(error);
  if (!known || res.headersSent) return next(error);
  const spec = errorCatalog[known.code];
  if (known.challenge) res.setHeader("WWW-Authenticate", known.challenge);
  res.status(spec.status).json({ errors: [{ message: known.message, extensions: { code: spec.graphqlCode } }] });
};

/** The Apollo server of the schema and a router serving it (and GraphiQL for browsers); stop() ends it. */
export async function createGraphqlEndpoint({ modules, verifyAccessToken, config, logger, responseCache }: GraphqlDependencies) {
  const schema = boundByDeadline(buildSchema());
  const protection = armor(config.graphqlIntrospection);
  // graphql-armor's typings come from Apollo's CommonJS build, ours from its ES modules: the same plugins.
  const armorPlugins = protection.plugins as unknown as ApolloServerPlugin<GraphQLContext>[];
  const complexityLimit: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, operationName }) {
          checkComplexity(schema, document, request.variables, operationName ?? undefined);
        },
      };
    },
  };
  const gateway = compiledExecutionGateway(schema);
  const server = new ApolloServer<GraphQLContext>({
    gateway,
    introspection: config.graphqlIntrospection,
    hideSchemaDetailsFromClientErrors: !config.graphqlIntrospection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    includeStacktraceInErrorResponses: config.nodeEnv === "development",
    parseOptions,
    validationRules: protection.validationRules,
    formatError: formatError(logger, config.nodeEnv === "development"),
    plugins: [
      ...armorPlugins,
      complexityLimit,
      deadlinePlugin,
      cacheablePlugin,
      // GraphiQL is served below instead of Apollo's landing page, which loads from a CDN.
      ApolloServerPluginLandingPageDisabled(),
      // Nothing reads cache hints (our response cache is keyed by the operation), and no data goes
      // to Apollo's cloud; the cache-control plugin alone hooks every field of every response.
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      ApolloServerPluginSchemaReportingDisabled(),
    ],
    logger,
  });
  await server.start();

  const router = Router();
  router.use(explorerRoutes(graphqlPath));
  router.use(authenticate(verifyAccessToken));
  router.use(jsonBody(config.bodyLimitBytes));
  // Apollo reads GET operations from the query string but insists on a parsed body all the same.
  router.use((req, _res, next) => {
    req.body ??= {};
    next();
  });
  if (responseCache?.enabled) router.use(graphqlResponseCache(responseCache));
  router.use(
    expressMiddleware(server, {
      context: async ({ req, res }) => rememberContext(res, createContext(modules, req.actor, config.graphqlTimeoutMs)),
    }),
  );
  router.use(graphqlErrorHandler);
  return { router, schema, server, compilations: gateway.compilations, stop: () => server.stop() };
}
