// What belongs to no area: the DateTime scalar, node(id)/nodes(ids) over global ids, and me.
import { GraphQLError, GraphQLScalarType, Kind } from "graphql";
import type { GraphQLContext } from "../context.js";
import { type NodeType, parseGlobalId } from "../global-id.js";

const dateTime = new GraphQLScalarType({
  name: "DateTime",
  description: "A point in time, ISO 8601 in UTC with milliseconds.",
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()),
  parseValue(value) {
    const date = typeof value === "string" ? new Date(value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 string.");
    return date;
  },
  parseLiteral(ast) {
    const date = ast.kind === Kind.STRING ? new Date(ast.value) : undefined;
    if (!date || Number.isNaN(date.getTime())) throw new GraphQLError("DateTime must be an ISO 8601 string.");
    return date;
  },
});

// The loader of each node type. The object is tagged with its type for Node's resolveType in place
// (a request's loaders made it for this request): a copy would lose a ProductNode's getters.
const loaderOf: Record<NodeType, (ctx: GraphQLContext, id: number) => Promise<object | undefined>> = {
  Product: (ctx, id) => ctx.loaders.product.load(id),
  Category: (ctx, id) => ctx.loaders.category.load(id),
  Post: (ctx, id) => ctx.loaders.post.load(id),
  Comment: (ctx, id) => ctx.loaders.comment.load(id),
  User: (ctx, id) => ctx.loaders.author.load(id),
};

async function node(ctx: GraphQLContext, globalId: string) {
  const parsed = parseGlobalId(globalId);
  if (!parsed) return null;
  const found = await loaderOf[parsed.type](ctx, parsed.id);
  return found ? Object.assign(found, { __typename: parsed.type }) : null;
}

export const rootResolvers = {
  DateTime: dateTime,
  Node: { __resolveType: (object: { __typename: NodeType }) => object.__typename },
  Query: {
    node: (_: unknown, args: { id: string }, ctx: GraphQLContext) => node(ctx, args.id),
    nodes: (_: unknown, args: { ids: string[] }, ctx: GraphQLContext) => Promise.all(args.ids.map((id) => node(ctx, id))),
    me(_: unknown, __: unknown, ctx: GraphQLContext) {
      const { actor } = ctx;
      if (!actor) return null;
      const { userId } = actor;
      return {
        kind: userId === undefined ? "client" : "user",
        // Read only when the query asks for it.
        get user() {
          return userId === undefined ? null : ctx.loaders.author.load(userId);
        },
        clientId: actor.clientId,
        scopes: [...actor.scopes].sort(),
        roles: [...actor.roles],
      };
    },
  },
};
