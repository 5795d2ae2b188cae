// The roots every area extends, and what belongs to no area: node(id), me.
export const rootTypeDefs = /* GraphQL */ `
"""
Reads of the catalog, inventory and blog. Public, except \`me\`.
"""
type Query {
  "Any object by its global id; null when there is none."
  node(id: ID!): Node
  "Several objects by global id, in the order asked (null for each that does not exist)."
  nodes(ids: [ID!]!): [Node]!
  "Who the access token says is calling; null without one."
  me: Viewer
}

"""
Writes. Each needs an access token with its scope (\`Authorization: Bearer\`); the same commands as REST
authorize, validate, write and broadcast.
"""
type Mutation

"""
The caller, as the access token states it.
"""
type Viewer {
  "user or client (a machine client acting for itself)."
  kind: String!
  "The signed-in user; null for a machine client."
  user: User
  "The OAuth client the token was issued to."
  clientId: String!
  "Scopes the token grants."
  scopes: [String!]!
  "The user's roles (customer, staff, admin)."
  roles: [String!]!
}
`;
