// The one schema: every area's type definitions and resolvers, merged.
import { makeExecutableSchema } from "@graphql-tools/schema";
import { userErrorResolvers } from "./payloads.js";
import { blogResolvers } from "./resolvers/blog.js";
import { catalogResolvers } from "./resolvers/catalog.js";
import { inventoryResolvers } from "./resolvers/inventory.js";
import { mutationResolvers } from "./resolvers/mutations.js";
import { rootResolvers } from "./resolvers/root.js";
import { subscriptionResolvers } from "./resolvers/subscriptions.js";
import { blogTypeDefs } from "./type-defs/blog.js";
import { catalogTypeDefs } from "./type-defs/catalog.js";
import { commonTypeDefs } from "./type-defs/common.js";
import { inventoryTypeDefs } from "./type-defs/inventory.js";
import { rootTypeDefs } from "./type-defs/root.js";
import { subscriptionTypeDefs } from "./type-defs/subscriptions.js";

/** The executable schema of /graphql: queries and mutations over HTTP and the socket, subscriptions over the socket. */
export function buildSchema() {
  return makeExecutableSchema({
    typeDefs: [rootTypeDefs, commonTypeDefs, catalogTypeDefs, inventoryTypeDefs, blogTypeDefs, subscriptionTypeDefs],
    resolvers: [
      rootResolvers,
      userErrorResolvers,
      catalogResolvers,
      inventoryResolvers,
      blogResolvers,
      mutationResolvers,
      subscriptionResolvers,
    ],
    // Every field of the schema must be resolvable: a missing resolver is a bug found at start-up.
    resolverValidationOptions: { requireResolversToMatchSchema: "error" },
  });
}
