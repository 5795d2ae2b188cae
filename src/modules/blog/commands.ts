import { type Actor, isStaff } from "../../auth/actor.js";
import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { appendToStream } from "../../events/append.js";
import { commentSnapshot, commentSnapshotColumns, postSnapshot, postSnapshotColumns, postStream } from "./events.js";

// Posts and comments are written by people: a machine client acting for itself has no author.
function requireUser(actor: Actor, action: string): number {
  if (actor.userId === undefined) throw new DomainError("Forbidden", `Only a signed-in user may ${action}.`);
  return actor.userId;
}

function requireAuthorOrStaff(actor: Actor, authorId: number, what: string): void {
  const isAuthor = actor.userId !== undefined && actor.userId === authorId;
  if (!isAuthor && !isStaff(actor)) throw new DomainError("Forbidden", `Only the ${what}'s author or staff may change it.`);
}

const eventActor = (actor: Actor) => ({ userId: actor.userId, clientId: actor.clientId });

/** Write side of the blog. */
export function createBlogCommands(prisma: PrismaClient) {
  return {
    /** Publishes a post by the signed-in user; appends PostCreated. Returns its id. */
    async createPost(actor: Actor, input: { title: string; content: string }): Promise<number> {
      const authorId = requireUser(actor, "write posts");
      return prisma.$transaction(async (tx) => {
        const post = await tx.post.create({ data: { ...input, authorId }, select: postSnapshotColumns });
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(post.id),
          type: "PostCreated",
          data: postSnapshot(post),
          actor: eventActor(actor),
        });
        return post.id;
      });
    },

    /** Changes a post (author or staff); appends PostUpdated. */
    async updatePost(actor: Actor, postId: number, patch: { title?: string; content?: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const post = await tx.post.findUnique({ where: { id: postId }, select: { authorId: true } });
        if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
        requireAuthorOrStaff(actor, post.authorId, "post");
        const updated = await tx.post.update({ where: { id: postId }, data: patch, select: postSnapshotColumns });
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(postId),
          type: "PostUpdated",
          data: postSnapshot(updated),
          actor: eventActor(actor),
        });
      });
    },

    /** Deletes a post and its comments (author or staff); appends PostDeleted. */
    async deletePost(actor: Actor, postId: number): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const post = await tx.post.findUnique({ where: { id: postId }, select: { authorId: true } });
        if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
        requireAuthorOrStaff(actor, post.authorId, "post");
        const { count } = await tx.post.deleteMany({ where: { id: postId } });
        if (count === 0) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(postId),
          type: "PostDeleted",
          data: { postId },
          actor: eventActor(actor),
        });
      });
    },

    /** Adds the signed-in user's comment to a post; appends CommentAdded. Returns its id. */
    async addComment(actor: Actor, postId: number, text: string): Promise<number> {
      const authorId = requireUser(actor, "comment");
      return prisma.$transaction(async (tx) => {
        // FOR SHARE: a post deleted meanwhile waits for this comment, instead of failing its foreign key.
        const [post] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM posts WHERE id = ${postId} FOR SHARE`;
        if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
        const comment = await tx.comment.create({ data: { postId, authorId, text }, select: commentSnapshotColumns });
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(postId),
          type: "CommentAdded",
          data: commentSnapshot(comment),
          actor: eventActor(actor),
        });
        return comment.id;
      });
    },

    /**
     * Deletes a comment. Only its author, or staff/admin, may; a machine client acting for itself
     * never may. Appends `CommentDeleted` to the post's stream in the same transaction.
     */
    async deleteComment(actor: Actor, commentId: number, expected: { postId?: number } = {}): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const comment = await tx.comment.findUnique({ where: { id: commentId }, select: { postId: true, authorId: true } });
        if (!comment || (expected.postId !== undefined && comment.postId !== expected.postId)) {
          throw new DomainError(
            "NotFound",
            `Comment ${commentId} does not exist${expected.postId ? ` on post ${expected.postId}` : ""}.`,
          );
        }
        const isAuthor = actor.userId !== undefined && actor.userId === comment.authorId;
        if (!isAuthor && !isStaff(actor)) {
          throw new DomainError("Forbidden", "Only the comment's author or staff may delete it.");
        }
        // deleteMany, not delete: a concurrent deletion leaves 0 rows here, which is a 404, not a 500.
        const { count } = await tx.comment.deleteMany({ where: { id: commentId } });
        if (count === 0) throw new DomainError("NotFound", `Comment ${commentId} does not exist.`);
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(comment.postId),
          type: "CommentDeleted",
          data: { commentId, postId: comment.postId },
          actor: eventActor(actor),
        });
      });
    },
  };
}

export type BlogCommands = ReturnType<typeof createBlogCommands>;
