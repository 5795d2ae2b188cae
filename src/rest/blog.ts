import type { BlogCommands } from "../modules/blog/commands.js";
import type { BlogQueries, CommentView, PostView } from "../modules/blog/queries.js";
import {
  commentInput,
  commentParams,
  commentSchema,
  commentV1Page,
  commentV2Page,
  cursorQuery,
  offsetQuery,
  postInput,
  postParams,
  postPatch,
  postSchema,
  postV1Page,
  postV2Page,
} from "../modules/blog/schemas.js";
import type { VersionedApi } from "./operations.js";
import { offsetEnvelope } from "./pagination.js";

const presentPost = (p: PostView) => ({ ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() });
const presentComment = (c: CommentView) => ({ ...c, createdAt: c.createdAt.toISOString() });

/** Blog operations: v1 pages by offset, v2 by cursor; writes are the same in both. */
export function blogRoutes(api: VersionedApi, queries: BlogQueries, commands: BlogCommands): void {
  if (api.version === 1) {
    api.operation({
      method: "get",
      path: "/posts",
      operationId: "listPosts",
      summary: "List posts",
      description: "Posts, newest first, in the v1 `count/next/previous/results` envelope.",
      tag: "Blog",
      query: offsetQuery,
      success: { status: 200, description: "A page of posts", schema: postV1Page },
      conditional: true,
      errors: [],
      async handler({ query, req }) {
        const { items, total } = await queries.listPosts({ offset: (query.page - 1) * query.page_size, limit: query.page_size });
        return { status: 200, body: offsetEnvelope(req, items.map(presentPost), total, query.page, query.page_size) };
      },
    });
    api.operation({
      method: "get",
      path: "/posts/:postId/comments",
      operationId: "listComments",
      summary: "List a post's comments",
      description: "Comments, oldest first, in the v1 envelope.",
      tag: "Blog",
      params: postParams,
      query: offsetQuery,
      success: { status: 200, description: "A page of comments", schema: commentV1Page },
      conditional: true,
      errors: ["NotFound"],
      async handler({ params, query, req }) {
        const { items, total } = await queries.listComments(params.postId, {
          offset: (query.page - 1) * query.page_size,
          limit: query.page_size,
        });
        return { status: 200, body: offsetEnvelope(req, items.map(presentComment), total, query.page, query.page_size) };
      },
    });
  } else {
    api.operation({
      method: "get",
      path: "/posts",
      operationId: "listPosts",
      summary: "List posts",
      description: "Posts, newest first; follow `page.nextCursor` (stable while posts are added).",
      tag: "Blog",
      query: cursorQuery,
      success: { status: 200, description: "A page of posts", schema: postV2Page },
      conditional: true,
      errors: [],
      async handler({ query }) {
        const { data, nextCursor } = await queries.postsPage(query);
        return { status: 200, body: { data: data.map(presentPost), page: { limit: query.limit, nextCursor } } };
      },
    });
    api.operation({
      method: "get",
      path: "/posts/:postId/comments",
      operationId: "listComments",
      summary: "List a post's comments",
      description: "Comments, oldest first; follow `page.nextCursor`.",
      tag: "Blog",
      params: postParams,
      query: cursorQuery,
      success: { status: 200, description: "A page of comments", schema: commentV2Page },
      conditional: true,
      errors: ["NotFound"],
      async handler({ params, query }) {
        const { data, nextCursor } = await queries.commentsPage(params.postId, query);
        return { status: 200, body: { data: data.map(presentComment), page: { limit: query.limit, nextCursor } } };
      },
    });
  }

  api.operation({
    method: "get",
    path: "/posts/:postId",
    operationId: "getPost",
    summary: "Get a post",
    description: "One post with its author and comment count.",
    tag: "Blog",
    params: postParams,
    success: { status: 200, description: "The post", schema: postSchema },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params }) {
      return { status: 200, body: presentPost(await queries.getPost(params.postId)) };
    },
  });
  api.operation({
    method: "post",
    path: "/posts",
    operationId: "createPost",
    summary: "Publish a post",
    description: "Publishes a post as the signed-in user (a machine client cannot author). Broadcasts `PostCreated`.",
    tag: "Blog",
    scopes: ["blog:write"],
    body: postInput,
    success: { status: 201, description: "Published", schema: postSchema, headers: { Location: "URL of the new post" } },
    errors: [],
    async handler({ body, req, actor }) {
      const post = await commands.createPost(actor, body);
      return { status: 201, headers: { Location: `${req.baseUrl}/posts/${post.id}` }, body: presentPost(post) };
    },
  });
  api.operation({
    method: "patch",
    path: "/posts/:postId",
    operationId: "updatePost",
    summary: "Change a post",
    description: "Its author or staff only. Broadcasts `PostUpdated`.",
    tag: "Blog",
    scopes: ["blog:write"],
    params: postParams,
    body: postPatch,
    success: { status: 200, description: "The changed post", schema: postSchema },
    errors: ["NotFound"],
    async handler({ params, body, actor }) {
      return { status: 200, body: presentPost(await commands.updatePost(actor, params.postId, body)) };
    },
  });
  api.operation({
    method: "delete",
    path: "/posts/:postId",
    operationId: "deletePost",
    summary: "Delete a post",
    description: "Its author or staff only; its comments go with it. Broadcasts `PostDeleted`.",
    tag: "Blog",
    scopes: ["blog:write"],
    params: postParams,
    success: { status: 204, description: "Deleted" },
    errors: ["NotFound"],
    async handler({ params, actor }) {
      await commands.deletePost(actor, params.postId);
      return { status: 204 };
    },
  });
  api.operation({
    method: "post",
    path: "/posts/:postId/comments",
    operationId: "addComment",
    summary: "Comment on a post",
    description: "Adds the signed-in user's comment. Broadcasts `CommentAdded` to the post's live subscribers.",
    tag: "Blog",
    scopes: ["blog:write"],
    params: postParams,
    body: commentInput,
    success: { status: 201, description: "The comment", schema: commentSchema },
    errors: ["NotFound"],
    async handler({ params, body, actor }) {
      const { position: _, ...comment } = await commands.addComment(actor, params.postId, body.text);
      return { status: 201, body: presentComment(comment) };
    },
  });
  api.operation({
    method: "delete",
    path: "/posts/:postId/comments/:commentId",
    operationId: "deleteComment",
    summary: "Delete a comment",
    description: "Its author or staff only. Broadcasts `CommentDeleted`.",
    tag: "Blog",
    scopes: ["blog:write"],
    params: commentParams,
    success: { status: 204, description: "Deleted" },
    errors: ["NotFound"],
    async handler({ params, actor }) {
      await commands.deleteComment(actor, params.commentId, { postId: params.postId });
      return { status: 204 };
    },
  });
}
