// Anonymous catalog reads over GraphQL, answered from the one response cache REST uses
// (src/http/response-cache.ts): the same invalidation (every command of this process before it
// answers, and the catalog tables' change announcements from any writer), the same generations.
//
// What is kept: the answer to an anonymous POST (JSON body) of a query whose every root field is a
// catalog read, with no errors. The key is everything the answer depends on: the document (or its
// persisted-query hash), the operation name, the variables, the extensions and the Accept header.
// Only JSON POSTs are served from it, so CSRF prevention (which lets such requests through) holds.
import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestHandler, Response } from "express";
import { Kind, type OperationDefinitionNode } from "graphql";
import { type ResponseCache, sendKept } from "../http/response-cache.js";
import type { GraphQLContext } from "./context.js";

/** Root fields whose answers depend only on catalog tables (products, categories, stock levels). */
const catalogRootFields = new Set(["products", "product", "categories", "category", "__typename"]);

// Apollo hands plugins a shallow copy of the context: the decision travels in an object both share.
type Decision = { keep: boolean };
type Keepable = GraphQLContext & { answer?: Decision };

/** Where the router hands a request's decision to the cache middleware. */
const decisionKey = "graphqlAnswer";

/** `ctx`, with a decision on keeping its answer that the middleware reads from `res`. */
export function rememberContext(res: Response, ctx: GraphQLContext): GraphQLContext {
  const answer: Decision = { keep: false };
  res.locals[decisionKey] = answer;
  return Object.assign(ctx, { answer });
}

const readsCatalogOnly = (operation: OperationDefinitionNode) =>
  operation.operation === "query" &&
  operation.selectionSet.selections.every(
    (selection) => selection.kind === Kind.FIELD && catalogRootFields.has(selection.name.value),
  );

/** Marks the answers that may be kept: anonymous catalog queries answered without errors. */
export const cacheablePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, operation, response }) {
        const ok = response.body.kind === "single" && !response.body.singleResult.errors?.length;
        const status = response.http.status ?? 200;
        if (ok && status === 200 && !contextValue.actor && operation && readsCatalogOnly(operation)) {
          const { answer } = contextValue as Keepable;
          if (answer) answer.keep = true;
        }
      },
    };
  },
};

/** Serves kept answers and keeps the new ones the plugin marked; after authentication and body parsing. */
export function graphqlResponseCache(cache: ResponseCache): RequestHandler {
  return (req, res, next) => {
    if (req.method !== "POST" || req.actor || !req.is("application/json") || typeof req.body !== "object") return next();
    const { query, operationName, variables, extensions } = req.body as Record<string, unknown>;
    const key = `graphql ${req.headers.accept ?? ""}\n${JSON.stringify([query, operationName, variables, extensions])}`;
    const kept = cache.get(key);
    if (kept) {
      sendKept(res, kept);
      return;
    }
    const token = cache.startRead();
    const send = res.send.bind(res);
    res.send = (body?: unknown) => {
      const answer = res.locals[decisionKey] as Decision | undefined;
      if (answer?.keep && res.statusCode === 200 && typeof body === "string") {
        const bytes = Buffer.from(body);
        const sent = send(bytes);
        // Kept with the ETag Express made for it, so that a kept answer is not hashed again each time it is sent.
        const etag = res.get("ETag");
        const headers = { "Content-Type": String(res.get("Content-Type")), ...(etag ? { ETag: etag } : {}) };
        cache.keep(key, token, { body: bytes, headers });
        return sent;
      }
      return send(body);
    };
    next();
  };
}
