// Live changes over graphql-ws at /graphql, from the realtime hub over the event feed.
export const subscriptionTypeDefs = /* GraphQL */ `
"""
Live changes, over the graphql-ws protocol on this same path. With \`since\` (the position of the
last event you received) the events after it come first, in order, then live ones: nothing is
missed or repeated across a reconnect.
"""
type Subscription {
  "Comments added to a post. Ends when the post is deleted."
  commentAdded(
    "The post: global id or REST's number."
    postId: ID!
    "Resume after this feed position."
    since: String
  ): CommentAddedEvent!
  "Stock movements of some products (1-100)."
  stockChanged(
    "The products: global ids or REST's numbers."
    productIds: [ID!]!
    "Resume after this feed position."
    since: String
  ): StockChangedEvent!
  "Products created, changed or deleted."
  productChanged(
    "Resume after this feed position."
    since: String
  ): ProductChangedEvent!
}

"A comment was added."
type CommentAddedEvent {
  "Feed position of the event: pass it as since to resume after it."
  position: String!
  "The comment as it was written."
  comment: Comment!
}

"A product's stock moved."
type StockChangedEvent {
  "Feed position of the event: pass it as since to resume after it."
  position: String!
  "How it moved."
  event: StockEventType!
  "The stock after the movement."
  stock: StockLevel!
}

"What happened to a product."
enum ProductEventType {
  "It was created."
  ProductCreated
  "It changed."
  ProductUpdated
  "It was deleted."
  ProductDeleted
}

"A product was created, changed or deleted."
type ProductChangedEvent {
  "Feed position of the event: pass it as since to resume after it."
  position: String!
  "What happened."
  event: ProductEventType!
  "The product's global id."
  productId: ID!
  "The product as it was written; null when it was deleted."
  product: Product
}
`;
