// Blog events, on one stream per post (streamType "post", streamId = post id): the post's own
// changes and its comments'. Each carries the post or comment as a reader sees it, author included.
import { z } from "zod";
import { defineEvents } from "../../events/schema.js";
import type { CommentView } from "./queries.js";
import { commentSchema, postSchema } from "./schemas.js";

export const postStream = "post";

/** A post as a reader sees it; without the comment count, which its comments' own events change. */
export const postSnapshotSchema = postSchema.omit({ commentCount: true }).strict();
/** A comment as a reader sees it. */
export const commentSnapshotSchema = commentSchema.strict();

export type PostSnapshot = z.infer<typeof postSnapshotSchema>;
export type CommentSnapshot = z.infer<typeof commentSnapshotSchema>;

export const blogEvents = defineEvents(postStream, {
  PostCreated: postSnapshotSchema,
  PostUpdated: postSnapshotSchema,
  PostDeleted: z.strictObject({ postId: z.number().int() }),
  CommentAdded: commentSnapshotSchema,
  CommentDeleted: z.strictObject({ commentId: z.number().int(), postId: z.number().int() }),
});

/** The columns of a post snapshot, for Prisma selects. */
export const postSnapshotColumns = {
  id: true,
  title: true,
  content: true,
  createdAt: true,
  updatedAt: true,
  author: { select: { id: true, username: true } },
} as const;

/** The columns of a comment snapshot, for Prisma selects. */
export const commentSnapshotColumns = {
  id: true,
  postId: true,
  text: true,
  createdAt: true,
  author: { select: { id: true, username: true } },
} as const;

/** The event data of a post just written. */
export function postSnapshot(
  p: Omit<PostSnapshot, "createdAt" | "updatedAt"> & { createdAt: Date; updatedAt: Date },
): PostSnapshot {
  return { ...p, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

/** The event data of a comment just written. */
export function commentSnapshot(c: CommentView): CommentSnapshot {
  return { ...c, createdAt: c.createdAt.toISOString() };
}
