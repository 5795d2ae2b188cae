// A per-operation time bound. graphql-js cannot cancel a running execution, so every resolver
// of a read checks the deadline before it starts and races its promise against it; an operation
// past its deadline is answered 503 SERVICE_UNAVAILABLE as a whole (no partial data), while the
// database work already started finishes on its own. Writes are not raced: a mutation's answer
// must say what it did, and the command runner bounds its transaction (and answers 503) itself.
import type { ApolloServerPlugin } from "@apollo/server";
import { GraphQLObjectType, type GraphQLSchema } from "graphql";
import { DomainError, errorCatalog } from "../errors.js";
import type { GraphQLContext } from "./context.js";

type Timed = GraphQLContext & { timer?: NodeJS.Timeout; expired?: Promise<never>; timedOut?: boolean };

const isPromise = (value: unknown): value is Promise<unknown> =>
  typeof value === "object" && value !== null && typeof (value as Promise<unknown>).then === "function";

function timeoutError(ctx: Timed): DomainError {
  ctx.timedOut = true;
  return new DomainError("Unavailable", "The operation ran out of time and was stopped. Ask for less, or try again.");
}

// One timer per operation, made by its first asynchronous resolver.
function expiry(ctx: Timed): Promise<never> {
  ctx.expired ??= new Promise<never>((_, reject) => {
    ctx.timer = setTimeout(() => reject(timeoutError(ctx)), Math.max(0, ctx.deadline - performance.now()));
  });
  ctx.expired.catch(() => undefined);
  return ctx.expired;
}

// Fields computed from their parent alone (global ids, prices) are getters of the node classes
// (nodes.ts), not resolvers: they never wait, so they need no deadline, and have no resolver to wrap.

/** Wraps the resolvers of queries (not Mutation's, not Subscription's) so that they stop at the context's deadline. */
export function boundByDeadline(schema: GraphQLSchema): GraphQLSchema {
  const skip = new Set([schema.getMutationType()?.name, schema.getSubscriptionType()?.name]);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith("__") || skip.has(type.name)) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      field.resolve = (source, args, ctx: Timed, info) => {
        if (ctx.deadline === Number.POSITIVE_INFINITY) return resolve(source, args, ctx, info);
        if (performance.now() >= ctx.deadline) throw timeoutError(ctx);
        const result = resolve(source, args, ctx, info);
        return isPromise(result) ? Promise.race([result, expiry(ctx)]) : result;
      };
    }
  }
  return schema;
}

/** Answers an operation that ran out of time with one SERVICE_UNAVAILABLE error and status 503, and clears its timer. */
export const deadlinePlugin: ApolloServerPlugin<GraphQLContext> = {
  async requestDidStart() {
    return {
      async willSendResponse({ contextValue, response }) {
        const ctx = contextValue as Timed;
        clearTimeout(ctx.timer);
        if (!ctx.timedOut || response.body.kind !== "single") return;
        response.http.status = errorCatalog.Unavailable.status;
        response.body.singleResult = {
          errors: [
            {
              message: "The operation ran out of time and was stopped. Ask for less, or try again.",
              extensions: { code: errorCatalog.Unavailable.graphqlCode },
            },
          ],
        };
      },
    };
  },
};
