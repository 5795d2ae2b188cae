// What every part of the schema shares: scalars, global ids, Relay paging, money, typed user errors.
export const commonTypeDefs = /* GraphQL */ `
"""
A point in time, ISO 8601 in UTC with milliseconds, e.g. \`2026-11-25T03:00:00.000Z\`.
"""
scalar DateTime

"""
An object with a global id: fetch any of them again with \`node(id)\`.
"""
interface Node {
  "Global id (opaque): the same object always has the same one, and no two objects share it."
  id: ID!
}

"""
Where a page of a connection sits in the whole list (Relay Cursor Connections).
"""
type PageInfo {
  "True when there are items after this page: ask again with \`after: endCursor\`."
  hasNextPage: Boolean!
  "True when there are items before this page: ask again with \`before: startCursor\` where the field takes \`last\`."
  hasPreviousPage: Boolean!
  "Cursor of the first item of the page; null for an empty page."
  startCursor: String
  "Cursor of the last item of the page; null for an empty page."
  endCursor: String
}

"""
An amount of money: integer minor units (cents) and its currency.
"""
type Money {
  "Integer minor units, e.g. 1290 for 12.90."
  amount: Int!
  "ISO 4217 currency code, e.g. EUR."
  currency: String!
  "The amount as people read it, e.g. €12.90."
  formatted: String!
}

"""
Money in a mutation's input.
"""
input MoneyInput {
  "Integer minor units (cents), 0 to 1,000,000,000."
  amount: Int!
  "ISO 4217 currency code, three capital letters."
  currency: String!
}

"""
Why a mutation wrote nothing, when it is something the caller can fix or should know (the
mutation's payload lists these; failures of authentication, permission or the server are
errors of the response instead, with \`extensions.code\`).
"""
interface UserError {
  "What went wrong, safe to show."
  message: String!
  "The error catalog's code, as \`extensions.code\` would carry it: BAD_USER_INPUT, CONFLICT, PRECONDITION_FAILED, NOT_FOUND, INVARIANT_VIOLATED."
  code: String!
}

"""
What a delete mutation answers.
"""
type DeletePayload {
  "The global id of what was deleted; null when errors say why nothing was."
  deletedId: ID
  "Why nothing was deleted; empty on success."
  errors: [UserError!]!
}

"""
An input that is not valid; nothing was written.
"""
type ValidationError implements UserError {
  "What is wrong with the field."
  message: String!
  "BAD_USER_INPUT."
  code: String!
  "The field, as a dotted path into the mutation's arguments (\`input.price.amount\`); null when the input as a whole is refused."
  field: String
  "The same path, one element per step."
  path: [String!]
}

"""
The change conflicts with the current state (a duplicate SKU, a stale expectedVersion); nothing was written.
"""
type ConflictError implements UserError {
  "What conflicts, safe to show."
  message: String!
  "CONFLICT, or PRECONDITION_FAILED for a stale expectedVersion of a product."
  code: String!
}

"""
What the mutation names does not exist (any more).
"""
type NotFoundError implements UserError {
  "What was not found."
  message: String!
  "NOT_FOUND."
  code: String!
}

"""
The change would break a business rule (stock below zero, more reserved than on hand); nothing was written.
"""
type InvariantError implements UserError {
  "Which rule, and why."
  message: String!
  "INVARIANT_VIOLATED."
  code: String!
}
`;
