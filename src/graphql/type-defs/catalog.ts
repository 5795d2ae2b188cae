// The catalog: products with live stock, and categories.
import { type ProductSortField, productSortFields } from "../../modules/catalog/search.js";

/** The GraphQL enum value of each sort field the core knows (createdAt: CREATED_AT). */
export const sortFieldValue = (field: ProductSortField) => field.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase();

const sortFieldDescriptions: Record<ProductSortField, string> = {
  price: "Price amount (minor units).",
  name: "Name.",
  sku: "SKU.",
  createdAt: "Creation time.",
  id: "Database id (creation order).",
};
const sortFields = productSortFields.map((f) => `"${sortFieldDescriptions[f]}"\n  ${sortFieldValue(f)}`).join("\n  ");

export const catalogTypeDefs = /* GraphQL */ `
"""
A product of the catalog, with its live stock.
"""
type Product implements Node {
  "Global id."
  id: ID!
  "The id REST uses (\`/api/v2/products/{databaseId}\`)."
  databaseId: Int!
  "Stock keeping unit: upper-case letters, digits and dashes, unique."
  sku: String!
  "Name shown to customers."
  name: String!
  "Description, possibly empty."
  description: String!
  "Price per unit."
  price: Money!
  "The category the product belongs to."
  category: Category!
  "Stock right now: on hand, reserved, available."
  stock: Stock!
  "Bumped by every change of the product itself; send it as expectedVersion to refuse lost updates."
  version: Int!
  "When the product was created."
  createdAt: DateTime!
  "When the product last changed."
  updatedAt: DateTime!
}

"""
A category of products.
"""
type Category implements Node {
  "Global id."
  id: ID!
  "The id REST uses."
  databaseId: Int!
  "URL-friendly unique name, e.g. coffee."
  slug: String!
  "Name shown to customers."
  name: String!
  "Description, possibly empty."
  description: String!
  "The category's products, in id order."
  products(
    "How many (1-100)."
    first: Int = 20
    "endCursor of the previous page."
    after: String
  ): ProductConnection!
  "When the category was created."
  createdAt: DateTime!
  "When the category last changed."
  updatedAt: DateTime!
}

"A page of products."
type ProductConnection {
  "The products of this page, each with its cursor."
  edges: [ProductEdge!]!
  "Where this page sits."
  pageInfo: PageInfo!
  "How many products match the filters, over all pages."
  totalCount: Int!
}

"A product and its cursor."
type ProductEdge {
  "Pass as after (or before) to continue from this product."
  cursor: String!
  "The product."
  node: Product!
}

"A page of categories."
type CategoryConnection {
  "The categories of this page, by name."
  edges: [CategoryEdge!]!
  "Where this page sits."
  pageInfo: PageInfo!
  "How many categories there are."
  totalCount: Int!
}

"A category and its cursor."
type CategoryEdge {
  "Pass as after to continue from this category."
  cursor: String!
  "The category."
  node: Category!
}

"Which products a list shows; every filter given must hold."
input ProductFilter {
  "Only products of this category."
  categoryId: ID
  "Text in the name, description or SKU (case-insensitive)."
  search: String
  "true: some stock available; false: none available."
  inStock: Boolean
  "Lowest price, in minor units."
  minPrice: Int
  "Highest price, in minor units."
  maxPrice: Int
}

"A field products can be sorted by."
enum ProductSortField {
  ${sortFields}
}

"Which way to sort."
enum SortDirection {
  "Smallest first."
  ASC
  "Largest first."
  DESC
}

"One sort key; ties are broken by the next key, and finally by id."
input ProductOrder {
  "The field."
  field: ProductSortField!
  "The direction."
  direction: SortDirection = ASC
}

extend type Query {
  "Products with their live stock, a page at a time (first/after forward, last/before backward; last needs before)."
  products(
    "How many from the start or after \`after\` (1-100; default 20)."
    first: Int
    "endCursor of the previous page."
    after: String
    "How many before \`before\` (1-100)."
    last: Int
    "startCursor of the page after the one wanted."
    before: String
    "Which products."
    filter: ProductFilter
    "Sort keys, first one first (default: by id)."
    orderBy: [ProductOrder!]
  ): ProductConnection!
  "One product by its global id (or REST's number); null when there is none."
  product(id: ID!): Product
  "Every category, by name, a page at a time."
  categories(
    "How many (1-100)."
    first: Int = 20
    "endCursor of the previous page."
    after: String
  ): CategoryConnection!
  "One category by its global id (or REST's number); null when there is none."
  category(id: ID!): Category
}

"What a product mutation answers."
type ProductPayload {
  "The product as written; null when errors say why nothing was written."
  product: Product
  "Why nothing was written; empty on success."
  errors: [UserError!]!
}

"A new product."
input CreateProductInput {
  "Unique SKU: upper-case letters, digits and dashes, 2-64 characters."
  sku: String!
  "Name, 1-200 characters."
  name: String!
  "Description, up to 5,000 characters."
  description: String
  "Price per unit."
  price: MoneyInput!
  "Its category."
  categoryId: ID!
}

"Changes to a product: only the fields given change."
input UpdateProductInput {
  "The product."
  id: ID!
  "Refuse the change (PRECONDITION_FAILED) unless the product is still at this version."
  expectedVersion: Int
  "New SKU."
  sku: String
  "New name."
  name: String
  "New description."
  description: String
  "New price."
  price: MoneyInput
  "New category."
  categoryId: ID
}

"A product to delete."
input DeleteProductInput {
  "The product."
  id: ID!
  "Refuse (PRECONDITION_FAILED) unless the product is still at this version."
  expectedVersion: Int
}

extend type Mutation {
  "Creates a product with no stock (scope catalog:write). Broadcasts ProductCreated."
  createProduct(input: CreateProductInput!): ProductPayload!
  "Changes a product (scope catalog:write). Broadcasts ProductUpdated."
  updateProduct(input: UpdateProductInput!): ProductPayload!
  "Deletes a product (scope catalog:write, staff only); its inventory events stay. Broadcasts ProductDeleted."
  deleteProduct(input: DeleteProductInput!): DeletePayload!
}
`;
