import { z } from "zod";
import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { cursorCodec, keysetPage } from "../shared/cursor.js";
import { recordId } from "../shared/fields.js";

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
const postSelect = {
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
const toPostView = ({ _count, ...post }: PostRow): PostView => ({ ...post, commentCount: _count.comments });

/** A keyset page and the cursor of the next one. */
export type CursorPage<T> = { data: T[]; nextCursor: string | null };

// Both lists walk by id: a position is the id of the last row shown.
const idPosition = z.object({ id: recordId() });

/** Read side of the blog. */
export function createBlogQueries(prisma: PrismaClient) {
  return {
    /** Posts newest first, `limit` at a time after `cursor` (a page's nextCursor). */
    async postsPage(page: { cursor?: string; limit: number }): Promise<CursorPage<PostView>> {
      const codec = await cursorCodec(prisma);
      const binding = { list: "posts" };
      const after = page.cursor ? codec.decode(page.cursor, binding, idPosition).id : undefined;
      const { items } = await this.listPosts({ beforeId: after, limit: page.limit + 1 });
      return keysetPage(items, page.limit, (post) => codec.encode({ id: post.id }, binding));
    },

    /** A post's comments oldest first, `limit` at a time after `cursor`; NotFound for an unknown post. */
    async commentsPage(postId: number, page: { cursor?: string; limit: number }): Promise<CursorPage<CommentView>> {
      const codec = await cursorCodec(prisma);
      const binding = { list: "comments", postId };
      const after = page.cursor ? codec.decode(page.cursor, binding, idPosition).id : undefined;
      const { items } = await this.listComments(postId, { afterId: after, limit: page.limit + 1 });
      return keysetPage(items, page.limit, (comment) => codec.encode({ id: comment.id }, binding));
    },

    /** Posts newest first: by offset (v1) or after a post id (v2 keyset). */
    async listPosts(page: { offset?: number; beforeId?: number; limit: number }): Promise<{ items: PostView[]; total: number }> {
      const [rows, total] = await Promise.all([
        prisma.post.findMany({
          where: page.beforeId ? { id: { lt: page.beforeId } } : {},
          orderBy: { id: "desc" },
          skip: page.offset ?? 0,
          take: page.limit,
          select: postSelect,
        }),
        prisma.post.count(),
      ]);
      return { items: rows.map(toPostView), total };
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
          select: { id: true, postId: true, text: true, createdAt: true, author },
        }),
        prisma.comment.count({ where: { postId } }),
      ]);
      if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
      return { items: rows, total };
    },
  };
}

export type BlogQueries = ReturnType<typeof createBlogQueries>;
