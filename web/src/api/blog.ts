import { type ApolloClient, gql, type TypedDocumentNode } from "@apollo/client";

// The blog's GraphQL operations: the seed's GetPosts and CreatePost shapes, and one post with its
// comments. The pages run them with useQuery/useMutation; `createBlogApi` runs the same documents
// on the same client (the Pact consumer tests drive it).

export type PostSummary = { id: string; title: string; content: string; createdAt: string; author: { username: string } };

/** A comment as GraphQL answers it: `databaseId` is the id the socket's frames use. */
export type PostComment = { id: string; databaseId: number; text: string; createdAt: string; author: { username: string } };

export type PostDetail = PostSummary & {
  databaseId: number;
  comments: { totalCount: number; edges: { node: PostComment }[] };
};

/** Why createPost wrote nothing: the payload's typed errors (`field` for a ValidationError). */
export type PostUserError = { __typename?: string; message: string; code: string; field?: string | null };

export type CreatePostResult = { createPost: { post: PostSummary | null; errors: PostUserError[] } };

export const GetPosts: TypedDocumentNode<{ posts: PostSummary[] }, Record<string, never>> = gql`
  query GetPosts {
    posts {
      id
      title
      content
      createdAt
      author {
        username
      }
    }
  }
`;

/** The most comments the post page reads at once; later ones arrive over the socket. */
export const commentsPerPost = 100;

export const GetPost: TypedDocumentNode<{ post: PostDetail | null }, { id: string; comments: number }> = gql`
  query GetPost($id: ID!, $comments: Int!) {
    post(id: $id) {
      id
      databaseId
      title
      content
      createdAt
      author {
        username
      }
      comments(first: $comments) {
        totalCount
        edges {
          node {
            id
            databaseId
            text
            createdAt
            author {
              username
            }
          }
        }
      }
    }
  }
`;

export const CreatePost: TypedDocumentNode<CreatePostResult, { title: string; content: string }> = gql`
  mutation CreatePost($title: String!, $content: String!) {
    createPost(title: $title, content: $content) {
      post {
        id
        title
        content
        createdAt
        author {
          username
        }
      }
      errors {
        message
        code
        ... on ValidationError {
          field
        }
      }
    }
  }
`;

/** The blog's operations as plain calls (always from the network); GraphQL errors reject. */
export function createBlogApi(client: ApolloClient) {
  return {
    async posts(): Promise<PostSummary[]> {
      const { data } = await client.query({ query: GetPosts, fetchPolicy: "network-only" });
      return data?.posts ?? [];
    },
    async post(id: string): Promise<PostDetail | null> {
      const { data } = await client.query({
        query: GetPost,
        variables: { id, comments: commentsPerPost },
        fetchPolicy: "network-only",
      });
      return data?.post ?? null;
    },
    async createPost(title: string, content: string): Promise<CreatePostResult["createPost"]> {
      const { data } = await client.mutate({ mutation: CreatePost, variables: { title, content } });
      if (!data) throw new Error("createPost answered no data");
      return data.createPost;
    },
  };
}

export type BlogApi = ReturnType<typeof createBlogApi>;
