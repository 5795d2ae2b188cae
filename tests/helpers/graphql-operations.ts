// The two operations whose SQL statements tests/graphql/statement-counts.test.ts counts and whose
// speed bench:graphql measures: a page of products with category and stock, and posts × comments × author.

export const productsQuery = `query Products($first: Int!) {
  products(first: $first) {
    edges { cursor node { id sku name price { amount currency formatted } category { id name slug } stock { onHand reserved available version } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export const postsQuery = `query Posts($first: Int!) {
  postConnection(first: $first) {
    edges { node { id title author { username } commentCount comments(first: 10) { edges { node { id text createdAt author { username } } } } } }
  }
}`;
