import { z } from "zod";
import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { groupedInKeyOrder, inKeyOrder } from "../shared/batch.js";
import { type CursorPage, cursorCodec, keysetPage } from "../shared/cursor.js";
import { recordId } from "../shared/fields.js";
import { epochMs, jsonRows } from "../shared/json-rows.js";

export type AuthorView = { id: number; username: string };
export type PostView = {
  id: number;
  title: string;
  content: string;
  author: AuthorView;
  commentCount: number;
  createdAt: Date;
  updatedAt: Date;
};
export type CommentView = { id: number; postId: number; text: string; author: AuthorView; createdAt: Date };

const author = { select: { id: true, username: true } } as const;
/** The columns of a PostView, read the same way by queries and by the commands that return one. */
export const postSelect = {
  id: true,
  title: true,
  content: true,
  createdAt: true,
  updatedAt: true,
  author,
  _count: { select: { comments: true } },
} as const;

type PostRow = {
  id: number;
  title: string;
  content: string;
  createdAt: Date;
  updatedAt: Date;
  author: AuthorView;
  _count: { comments: number };
};
export const toPostView = ({ _count, ...post }: PostRow): PostView => ({ ...post, commentCount: _count.comments });
/** The columns of a CommentView. */
export const commentSelect = { id: true, postId: true, text: true, createdAt: true, author } as const;

// Both lists walk by id: a position is the id of the last row shown.
const idPosition = z.object({ id: recordId() });
/** What a comment cursor is bound to: the comments of one post. */
const commentsOf = (postId: number) => ({ list: "comments", postId });

type PostWithAuthorRow = Omit<PostView, "author" | "commentCount" | "createdAt" | "updatedAt"> & {
  createdAtMs: number;
  updatedAtMs: number;
  authorId: number;
  username: string;
  commentCount: number;
};

// The columns of a PostWithAuthorRow, over posts p ⋈ users u.
const postWithAuthorColumns = Prisma.sql`
  p.id, p.title, p.content, ${epochMs("p.created_at")} AS "createdAtMs", ${epochMs("p.updated_at")} AS "updatedAtMs",
  u.id AS "authorId", u.username, (SELECT count(*)::int FROM comments c WHERE c.post_id = p.id) AS "commentCount"`;

const fromPostRow = (row: PostWithAuthorRow): PostView => ({
  id: row.id,
  title: row.title,
  content: row.content,
  createdAt: new Date(row.createdAtMs),
  updatedAt: new Date(row.updatedAtMs),
  commentCount: row.commentCount,
  author: { id: row.authorId, username: row.username },
});

// Posts newest first with their authors and comment counts, in one statement (Prisma's select
// with the author and _count takes two).
async function newestPosts(prisma: PrismaClient, page: { offset?: number; beforeId?: number; limit: number }) {
  const rows = await jsonRows<PostWithAuthorRow>(
    prisma,
    Prisma.sql`
    SELECT ${postWithAuthorColumns}
    FROM posts p JOIN users u ON u.id = p.author_id
    ${page.beforeId ? Prisma.sql`WHERE p.id < ${page.beforeId}` : Prisma.empty}
    ORDER BY p.id DESC
    LIMIT ${page.limit} OFFSET ${page.offset ?? 0}`,
  );
  return rows.map(fromPostRow);
}

/** Read side of the blog. */
export function createBlogQueries(prisma: PrismaClient) {
  return {
    /** Posts newest first, `limit` at a time after `cursor` (a page's nextCursor), in one statement. */
    async postsPage(page: { cursor?: string; limit: number }): Promise<CursorPage<PostView>> {
      const codec = await cursorCodec(prisma);
      const binding = { list: "posts" };
      const after = page.cursor ? codec.decode(page.cursor, binding, idPosition).id : undefined;
      const items = await newestPosts(prisma, { beforeId: after, limit: page.limit + 1 });
      const sign = codec.encoder(binding);
      return keysetPage(items, page.limit, (post) => sign({ id: post.id }));
    },

    /** How many posts there are. */
    countPosts(): Promise<number> {
      return prisma.post.count();
    },

    /** The cursors commentsPage of post `postId` continues from, right after each comment (GraphQL's edges of pages read otherwise). */
    async commentCursors(postId: number): Promise<(comment: { id: number }) => string> {
      const sign = (await cursorCodec(prisma)).encoder(commentsOf(postId));
      return (comment) => sign({ id: comment.id });
    },

    /** A post's comments oldest first, `limit` at a time after `cursor`; NotFound for an unknown post. */
    async commentsPage(postId: number, page: { cursor?: string; limit: number }): Promise<CursorPage<CommentView>> {
      const codec = await cursorCodec(prisma);
      const binding = commentsOf(postId);
      const after = page.cursor ? codec.decode(page.cursor, binding, idPosition).id : undefined;
      const { items } = await this.listComments(postId, { afterId: after, limit: page.limit + 1 });
      const sign = codec.encoder(binding);
      return keysetPage(items, page.limit, (comment) => sign({ id: comment.id }));
    },

    /** Posts newest first: by offset (v1) or after a post id (v2 keyset), with how many there are. */
    async listPosts(page: { offset?: number; beforeId?: number; limit: number }): Promise<{ items: PostView[]; total: number }> {
      const [items, total] = await Promise.all([newestPosts(prisma, page), prisma.post.count()]);
      return { items, total };
    },

    /** Posts by id in one statement, in the order asked (undefined for an unknown id). */
    async postsByIds(ids: readonly number[]): Promise<(PostView | undefined)[]> {
      // One statement (Prisma's select with author and _count takes two).
      const rows = await jsonRows<PostWithAuthorRow>(
        prisma,
        Prisma.sql`SELECT ${postWithAuthorColumns} FROM posts p JOIN users u ON u.id = p.author_id WHERE p.id = ANY(${[...ids]}::int[])`,
      );
      return inKeyOrder(ids, rows.map(fromPostRow), (post) => post.id);
    },

    /** Comments by id in one statement, in the order asked (undefined for an unknown id). */
    async commentsByIds(ids: readonly number[]): Promise<(CommentView | undefined)[]> {
      const rows = await prisma.comment.findMany({ where: { id: { in: [...ids] } }, select: commentSelect });
      return inKeyOrder(ids, rows, (comment) => comment.id);
    },

    /** The newest `limit` posts of each author, for many authors in one statement (a window per author). */
    async postsByAuthorIds(authorIds: readonly number[], page: { limit: number }): Promise<PostView[][]> {
      const rows = await jsonRows<PostWithAuthorRow>(
        prisma,
        Prisma.sql`
        SELECT id, title, content, "createdAtMs", "updatedAtMs", "authorId", username, "commentCount" FROM (
          SELECT ${postWithAuthorColumns}, row_number() OVER (PARTITION BY p.author_id ORDER BY p.id DESC) AS n
          FROM posts p JOIN users u ON u.id = p.author_id
          WHERE p.author_id = ANY(${[...authorIds]}::int[])
        ) ranked
        WHERE n <= ${page.limit}
        ORDER BY "authorId", id DESC`,
      );
      return groupedInKeyOrder(authorIds, rows.map(fromPostRow), (post) => post.author.id);
    },

    /** Authors by user id in one statement, in the order asked (undefined for an unknown id). */
    async authorsByIds(ids: readonly number[]): Promise<(AuthorView | undefined)[]> {
      const rows = await prisma.user.findMany({ where: { id: { in: [...ids] } }, select: { id: true, username: true } });
      return inKeyOrder(ids, rows, (user) => user.id);
    },

    /** How many comments each post has, in one statement, in the order asked (0 for an unknown post). */
    async commentCountsByPostIds(postIds: readonly number[]): Promise<number[]> {
      const rows = await prisma.$queryRaw<{ post_id: number; count: number }[]>`
        SELECT post_id, count(*)::int AS count FROM comments WHERE post_id = ANY(${[...postIds]}::int[]) GROUP BY post_id`;
      return inKeyOrder(postIds, rows, (row) => row.post_id).map((row) => row?.count ?? 0);
    },

    /**
     * The first `limit` comments of each post (oldest first, after `afterId` when given), for many
     * posts in one statement: a window over each post's comments, so the page size per post holds.
     */
    async commentsByPostIds(postIds: readonly number[], page: { limit: number; afterId?: number }): Promise<CommentView[][]> {
      type Row = Omit<CommentView, "createdAt"> & { createdAtMs: number };
      const rows = await jsonRows<Row>(
        prisma,
        Prisma.sql`
        SELECT id, "postId", text, "createdAtMs", json_build_object('id', author_id, 'username', username) AS author
        FROM (
          SELECT c.id, c.post_id AS "postId", c.text, ${epochMs("c.created_at")} AS "createdAtMs", c.author_id, u.username,
                 row_number() OVER (PARTITION BY c.post_id ORDER BY c.id) AS n
          FROM comments c JOIN users u ON u.id = c.author_id
          WHERE c.post_id = ANY(${[...postIds]}::int[]) ${page.afterId ? Prisma.sql`AND c.id > ${page.afterId}` : Prisma.empty}
        ) ranked
        WHERE n <= ${page.limit}
        ORDER BY "postId", id`,
      );
      const comments = rows.map(({ createdAtMs, ...comment }) => ({ ...comment, createdAt: new Date(createdAtMs) }));
      return groupedInKeyOrder(postIds, comments, (comment) => comment.postId);
    },

    /** One post, or NotFound. */
    async getPost(id: number): Promise<PostView> {
      const post = await prisma.post.findUnique({ where: { id }, select: postSelect });
      if (!post) throw new DomainError("NotFound", `Post ${id} does not exist.`);
      return toPostView(post);
    },

    /** A post's comments oldest first, after a comment id; NotFound for an unknown post. */
    async listComments(
      postId: number,
      page: { afterId?: number; offset?: number; limit: number },
    ): Promise<{ items: CommentView[]; total: number }> {
      const [post, rows, total] = await Promise.all([
        prisma.post.findUnique({ where: { id: postId }, select: { id: true } }),
        prisma.comment.findMany({
          where: { postId, ...(page.afterId ? { id: { gt: page.afterId } } : {}) },
          orderBy: { id: "asc" },
          skip: page.offset ?? 0,
          take: page.limit,
          select: commentSelect,
        }),
        prisma.comment.count({ where: { postId } }),
      ]);
      if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
      return { items: rows, total };
    },
  };
}

export type BlogQueries = ReturnType<typeof createBlogQueries>;
