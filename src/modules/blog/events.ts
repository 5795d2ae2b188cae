// Blog events, on one stream per post (streamType "post", streamId = post id): the post's own
// changes and its comments'. Each carries the post or comment as a reader sees it, author included.
import { z } from "zod";
import { defineEvents } from "../../events/schema.js";
import type { CommentView, PostView } from "./queries.js";
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

/** The event data of a post just written (the view its command returns). */
export function postSnapshot(p: PostView): PostSnapshot {
  const { id, title, content, author } = p;
  return { id, title, content, author, createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString() };
}

/** The event data of a comment just written. */
export function commentSnapshot(c: CommentView): CommentSnapshot {
  return { ...c, createdAt: c.createdAt.toISOString() };
}
