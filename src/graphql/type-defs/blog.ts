// The blog: posts, comments and their authors. The seed's fields (posts, post, commentsByPost,
// createPost with plain arguments) keep the seed's shapes.
export const blogTypeDefs = /* GraphQL */ `
"""
A person who writes posts and comments.
"""
type User implements Node {
  "Global id."
  id: ID!
  "The id REST uses."
  databaseId: Int!
  "Public name."
  username: String!
  "The user's posts, newest first."
  posts(
    "How many (1-100)."
    limit: Int = 20
  ): [Post!]!
}

"""
A blog post.
"""
type Post implements Node {
  "Global id."
  id: ID!
  "The id REST uses (\`/api/v2/posts/{databaseId}\`)."
  databaseId: Int!
  "Title."
  title: String!
  "Body text."
  content: String!
  "Who wrote it."
  author: User!
  "Its comments, oldest first."
  comments(
    "How many (1-100)."
    first: Int = 20
    "endCursor of the previous page."
    after: String
  ): CommentConnection!
  "How many comments it has."
  commentCount: Int!
  "When it was published."
  createdAt: DateTime!
  "When it last changed."
  updatedAt: DateTime!
}

"""
A comment on a post.
"""
type Comment implements Node {
  "Global id."
  id: ID!
  "The id REST uses."
  databaseId: Int!
  "The comment."
  text: String!
  "Who wrote it."
  author: User!
  "The post it comments on."
  post: Post!
  "When it was written."
  createdAt: DateTime!
}

"A page of posts."
type PostConnection {
  "The posts of this page, newest first."
  edges: [PostEdge!]!
  "Where this page sits."
  pageInfo: PageInfo!
  "How many posts there are."
  totalCount: Int!
}

"A post and its cursor."
type PostEdge {
  "Pass as after to continue from this post."
  cursor: String!
  "The post."
  node: Post!
}

"A page of comments."
type CommentConnection {
  "The comments of this page, oldest first."
  edges: [CommentEdge!]!
  "Where this page sits."
  pageInfo: PageInfo!
  "How many comments the post has."
  totalCount: Int!
}

"A comment and its cursor."
type CommentEdge {
  "Pass as after to continue from this comment."
  cursor: String!
  "The comment."
  node: Comment!
}

extend type Query {
  "Posts, newest first, as a plain list (the seed's field)."
  posts(
    "How many (1-100; default 100)."
    limit: Int
  ): [Post!]!
  "One post by its global id (or REST's number); null when there is none."
  post(id: ID!): Post
  "A post's comments, oldest first, as a plain list (the seed's field); empty for an unknown post."
  commentsByPost(
    "The post: global id or REST's number."
    postId: ID!
    "How many (1-100; default 100)."
    limit: Int
  ): [Comment!]!
  "Posts, newest first, a page at a time."
  postConnection(
    "How many (1-100)."
    first: Int = 20
    "endCursor of the previous page."
    after: String
  ): PostConnection!
}

"What a post mutation answers."
type PostPayload {
  "The post as written; null when errors say why nothing was written."
  post: Post
  "Why nothing was written; empty on success."
  errors: [UserError!]!
}

"What addComment answers."
type CommentPayload {
  "The comment as written; null when errors say why nothing was written."
  comment: Comment
  "Why nothing was written; empty on success."
  errors: [UserError!]!
}

"Changes to a post: only the fields given change."
input UpdatePostInput {
  "The post."
  id: ID!
  "New title, 1-200 characters."
  title: String
  "New body, 1-50,000 characters."
  content: String
}

"A post to delete."
input DeletePostInput {
  "The post."
  id: ID!
}

"A new comment."
input AddCommentInput {
  "The post to comment on."
  postId: ID!
  "The comment, 1-5,000 characters."
  text: String!
  "Send the same key again to get the first comment back; nothing is added twice."
  idempotencyKey: String
}

"A comment to delete."
input DeleteCommentInput {
  "The comment."
  id: ID!
}

extend type Mutation {
  "Publishes a post as the signed-in user (scope blog:write; the seed's argument style). Broadcasts PostCreated."
  createPost(
    "Title, 1-200 characters."
    title: String!
    "Body, 1-50,000 characters."
    content: String!
  ): PostPayload!
  "Changes a post (its author or staff; scope blog:write). Broadcasts PostUpdated."
  updatePost(input: UpdatePostInput!): PostPayload!
  "Deletes a post and its comments (its author or staff; scope blog:write). Broadcasts PostDeleted."
  deletePost(input: DeletePostInput!): DeletePayload!
  "Comments on a post as the signed-in user (scope blog:write). Broadcasts CommentAdded."
  addComment(input: AddCommentInput!): CommentPayload!
  "Deletes a comment (its author or staff; scope blog:write). Broadcasts CommentDeleted."
  deleteComment(input: DeleteCommentInput!): DeletePayload!
}
`;
