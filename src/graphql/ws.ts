// GraphQL over the graphql-ws protocol on the app's http.Server at /graphql: the same schema, the
// same limits and the same token verifier as HTTP. The ws transport owns `server.on("upgrade")`
// and routes upgrades of this path here (handleUpgrade).
//
// Auth: the token comes in connectionParams (`{ "Authorization": "Bearer …" }`, as GraphiQL sends
// its headers, or `{ "token": "…" }`). A bad one closes the socket with 4403, which graphql-ws
// clients take as "refresh the token and reconnect"; so does the token's expiry. Without a token
// the socket may read (and subscribe); a write says UNAUTHENTICATED, a missing scope FORBIDDEN.
// Origins are not checked: nothing on the socket comes from cookies, so a foreign page gains
// nothing it could not get by connecting itself.
import type http from "node:http";
import type { Duplex } from "node:stream";
import {
  type DocumentNode,
  type ExecutionArgs,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import { CloseCode } from "graphql-ws";
import { useServer } from "graphql-ws/use/ws";
import { decodeJwt } from "jose";
import { WebSocketServer } from "ws";
import type { Actor } from "../auth/actor.js";
import type { AccessTokenVerifier } from "../auth/verifier.js";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Modules } from "../modules/index.js";
import type { TopicHub } from "../realtime/hub.js";
import { createContext } from "./context.js";
import { formatError } from "./errors.js";
import { checkComplexity, limitRules, parseOptions } from "./limits.js";

export type GraphqlWsOptions = {
  schema: GraphQLSchema;
  modules: Modules;
  hub: TopicHub;
  verifyAccessToken: AccessTokenVerifier;
  config: Config;
  logger: Logger;
};

type Extra = { socket: import("ws").WebSocket; request: http.IncomingMessage; actor?: Actor; expiry?: NodeJS.Timeout };

/** The bearer token of connectionParams, if any (a header-like Authorization, any case, or token). */
function tokenOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  if (!params) return undefined;
  const authorization = Object.entries(params).find(([key]) => key.toLowerCase() === "authorization")?.[1];
  if (typeof authorization === "string") return /^Bearer +(\S+) *$/i.exec(authorization)?.[1] ?? authorization;
  return typeof params.token === "string" ? params.token : undefined;
}

// Errors found before execution carry the code Apollo gives them over HTTP.
const withCode = (errors: readonly GraphQLError[], code: string) =>
  errors.map(
    (e) =>
      new GraphQLError(e.message, {
        nodes: e.nodes,
        source: e.source,
        positions: e.positions,
        extensions: { ...e.extensions, code },
      }),
  );

// A syntax error or a document past the token limit, as a list of errors for the client.
function parsed(query: string): DocumentNode | readonly GraphQLError[] {
  try {
    return parse(query, parseOptions);
  } catch (error) {
    return withCode(
      [error instanceof GraphQLError ? error : new GraphQLError("The document could not be parsed.")],
      "GRAPHQL_PARSE_FAILED",
    );
  }
}

/** Serves graphql-ws on a WebSocketServer of its own (noServer); the caller routes upgrades of /graphql to handleUpgrade. */
export function attachGraphqlWs({ schema, modules, hub, verifyAccessToken, config, logger }: GraphqlWsOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.bodyLimitBytes });
  const rules = [
    ...specifiedRules,
    ...limitRules(config.graphqlIntrospection),
    ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  const format = formatError(logger, config.nodeEnv === "development");
  const formatted = (errors: readonly GraphQLError[]) => errors.map((error) => format(error.toJSON(), error));

  const server = useServer<Record<string, unknown> | undefined, Extra>(
    {
      schema,
      async onConnect(ctx) {
        const token = tokenOf(ctx.connectionParams);
        if (token === undefined) return true;
        try {
          ctx.extra.actor = await verifyAccessToken(token);
        } catch {
          return false; // graphql-ws closes with 4403 Forbidden
        }
        // When the token expires the socket goes too, so the client reconnects with a fresh one.
        const exp = decodeJwt(token).exp ?? 0;
        const { socket } = ctx.extra;
        ctx.extra.expiry = setTimeout(
          () => socket.close(CloseCode.Forbidden, "The access token expired."),
          exp * 1000 - Date.now(),
        );
        ctx.extra.expiry.unref();
        socket.once("close", () => clearTimeout(ctx.extra.expiry));
        return true;
      },
      onSubscribe(ctx, id, payload) {
        if (Object.keys(ctx.subscriptions).length > config.realtime.maxSubscriptions) {
          return [
            new GraphQLError(`At most ${config.realtime.maxSubscriptions} operations per socket at once.`, {
              extensions: { code: "LIMIT_EXCEEDED" },
            }),
          ];
        }
        const document = parsed(payload.query);
        if (!("kind" in document)) return document;
        const errors = validate(schema, document, rules);
        if (errors.length > 0) return withCode(errors, "GRAPHQL_VALIDATION_FAILED");
        try {
          checkComplexity(schema, document, payload.variables ?? undefined, payload.operationName ?? undefined);
        } catch (error) {
          return [error as GraphQLError];
        }
        const operation = getOperationAST(document, payload.operationName)?.operation;
        const timeout = operation === "subscription" ? Number.POSITIVE_INFINITY : config.graphqlTimeoutMs;
        logger.debug({ id, operation }, "graphql-ws operation");
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: createContext(modules, ctx.extra.actor, timeout, hub),
        } satisfies ExecutionArgs;
      },
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors ? { ...result, errors: formatted(result.errors) } : undefined,
      onError: (_ctx, _id, _payload, errors) => formatted(errors),
    },
    wss,
  );

  let closing: Promise<void> | undefined;
  async function shutDown(timeoutMs: number): Promise<void> {
    const gone = server.dispose();
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([gone, deadline]);
    for (const client of wss.clients) client.terminate();
    await gone;
  }

  return {
    /** Takes over an upgrade of /graphql (the ws transport's router calls it). */
    handleUpgrade(req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit("connection", ws, req));
    },
    /** Closes every socket (1001), waits for them (bounded: then they are cut), and closes the server. */
    async close(timeoutMs = 5000): Promise<void> {
      closing ??= shutDown(timeoutMs);
      return closing;
    },
  };
}

export type GraphqlWs = ReturnType<typeof attachGraphqlWs>;
