// Inventory: live stock levels, their event-sourced history, and stock movements.
import { type StockMovementKind, stockEventTypes } from "../../modules/inventory/movements.js";

const kindDescriptions: Record<StockMovementKind, string> = {
  receive: "Goods arrived: on hand goes up.",
  adjust: "A signed count correction of on hand; needs a reason.",
  reserve: "Hold stock for an order: reserved goes up.",
  release: "Cancel a hold: reserved goes down.",
  ship: "Reserved goods left: on hand and reserved go down.",
};
const kinds = (Object.keys(stockEventTypes) as StockMovementKind[])
  .map((kind) => `"${kindDescriptions[kind]}"\n  ${kind.toUpperCase()}`)
  .join("\n  ");
const eventTypes = Object.values(stockEventTypes)
  .map((type) => `"The ${type} event."\n  ${type}`)
  .join("\n  ");

export const inventoryTypeDefs = /* GraphQL */ `
"""
A product's stock right now.
"""
type Stock {
  "Units in the warehouse."
  onHand: Int!
  "Units held for orders."
  reserved: Int!
  "Units that can still be reserved: onHand - reserved."
  available: Int!
  "Version of the product's inventory stream; send it as expectedVersion to refuse lost updates."
  version: Int!
}

"""
The stock of one product, as a stock mutation or subscription hands it out.
"""
type StockLevel {
  "The product."
  product: Product
  "The product's id as REST uses it."
  productId: Int!
  "Units in the warehouse."
  onHand: Int!
  "Units held for orders."
  reserved: Int!
  "onHand - reserved."
  available: Int!
  "Version of the product's inventory stream."
  version: Int!
}

"How stock moves."
enum StockMovementKind {
  ${kinds}
}

"The event a stock movement appended."
enum StockEventType {
  ${eventTypes}
}

"""
One movement of a product's stock, from its inventory stream (oldest first).
"""
type StockMovement {
  "Its place in the product's stream: 1, 2, 3…"
  streamVersion: Int!
  "What happened."
  type: StockEventType!
  "Units moved (signed for adjustments)."
  quantity: Int!
  "Why, when one was given."
  reason: String
  "Who moved it (user:<id> or client:<id>)."
  actor: String!
  "When."
  occurredAt: DateTime!
  "Feed position of the event: subscribe with since set to it to get what came after."
  position: String!
}

"A page of stock movements."
type StockMovementConnection {
  "The movements of this page, oldest first."
  edges: [StockMovementEdge!]!
  "Where this page sits."
  pageInfo: PageInfo!
  "How many movements the product has had."
  totalCount: Int!
}

"A stock movement and its cursor."
type StockMovementEdge {
  "Pass as after to continue from this movement."
  cursor: String!
  "The movement."
  node: StockMovement!
}

extend type Query {
  "A product's stock movements, oldest first; null for an unknown product."
  stockHistory(
    "The product: global id or REST's number."
    productId: ID!
    "How many (1-100)."
    first: Int = 20
    "endCursor of the previous page."
    after: String
  ): StockMovementConnection
}

"One stock movement."
input AdjustStockInput {
  "The product."
  productId: ID!
  "How the stock moves."
  kind: StockMovementKind!
  "Units: positive, except for ADJUST (signed, not zero)."
  quantity: Int!
  "Why; required for ADJUST."
  reason: String
  "Refuse (CONFLICT) unless the stock is still at this version."
  expectedVersion: Int
  "Send the same key again to get the first answer again; nothing is written twice."
  idempotencyKey: String
}

"What adjustStock answers."
type AdjustStockPayload {
  "The stock after the movement; null when errors say why nothing moved."
  stock: StockLevel
  "Why nothing moved; empty on success."
  errors: [UserError!]!
}

extend type Mutation {
  "Records one stock movement (scope inventory:write): one inventory event and the new level, in one transaction."
  adjustStock(input: AdjustStockInput!): AdjustStockPayload!
}
`;
