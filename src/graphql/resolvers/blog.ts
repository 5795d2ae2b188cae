// Blog reads: the seed's plain lists, the Relay connections, and the fields that join posts,
// comments and authors through the request's loaders (one statement per level).
import { connection, cursorArgument } from "../connections.js";
import type { GraphQLContext } from "../context.js";
import { idOf } from "../global-id.js";
import { maxPageSize, pageSize } from "../input.js";
import { type CommentNode, commentNode, type PostNode, postNode, type UserNode } from "../nodes.js";

type PageArgs = { first?: number | null; after?: string | null };

export const blogResolvers = {
  Query: {
    async posts(_: unknown, args: { limit?: number | null }, ctx: GraphQLContext) {
      const { items } = await ctx.modules.blog.queries.listPosts({ limit: pageSize(args.limit, "limit", maxPageSize) });
      return items.map(postNode);
    },
    post: (_: unknown, args: { id: string }, ctx: GraphQLContext) => ctx.loaders.post.load(idOf("Post", args.id, ["id"])),
    commentsByPost: (_: unknown, args: { postId: string; limit?: number | null }, ctx: GraphQLContext) =>
      ctx.loaders.comments(pageSize(args.limit, "limit", maxPageSize)).load(idOf("Post", args.postId, ["postId"])),
    async postConnection(_: unknown, args: PageArgs, ctx: GraphQLContext) {
      const { blog } = ctx.modules;
      const page = await cursorArgument(
        "after",
        blog.queries.postsPage({ limit: pageSize(args.first, "first"), cursor: args.after ?? undefined }),
      );
      return connection(page.data.map(postNode), {
        hasNextPage: page.nextCursor !== null,
        hasPreviousPage: Boolean(args.after),
        cursorOf: (post) => page.cursorOf(post.view),
        totalCount: () => blog.queries.countPosts(),
      });
    },
  },
  // The other fields of Post, Comment and User are their nodes' (nodes.ts).
  Post: {
    commentCount: ({ view: p }: PostNode, _: unknown, ctx: GraphQLContext) =>
      p.commentCount ?? ctx.loaders.commentCount.load(p.id),
    async comments({ view: p }: PostNode, args: PageArgs, ctx: GraphQLContext) {
      const { blog } = ctx.modules;
      const first = pageSize(args.first, "first");
      const totalCount = () => p.commentCount ?? ctx.loaders.commentCount.load(p.id);
      if (args.after) {
        // A later page is read for this post alone: clients page one post's comments at a time.
        const page = await cursorArgument("after", blog.queries.commentsPage(p.id, { cursor: args.after, limit: first }));
        const cursorOf = (comment: CommentNode) => page.cursorOf(comment.view);
        const nodes = page.data.map(commentNode);
        return connection(nodes, { hasNextPage: page.nextCursor !== null, hasPreviousPage: true, cursorOf, totalCount });
      }
      // First pages of every post of the query in one statement; the extra row says whether there is more.
      const [comments, cursorOf] = await Promise.all([
        ctx.loaders.comments(first + 1).load(p.id),
        blog.queries.commentCursors(p.id),
      ]);
      return connection(comments.slice(0, first), {
        hasNextPage: comments.length > first,
        hasPreviousPage: false,
        cursorOf: (comment) => cursorOf(comment.view),
        totalCount,
      });
    },
  },
  Comment: {
    post: ({ view }: CommentNode, _: unknown, ctx: GraphQLContext) => ctx.loaders.post.load(view.postId),
  },
  User: {
    posts: ({ view }: UserNode, args: { limit?: number | null }, ctx: GraphQLContext) =>
      ctx.loaders.postsByAuthor(pageSize(args.limit, "limit")).load(view.id),
  },
};
