import { type Actor, isStaff } from "../../auth/actor.js";
import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { appendToStream } from "../../events/append.js";

/** Write side of the blog. */
export function createBlogCommands(prisma: PrismaClient) {
  return {
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
          streamType: "post",
          streamId: String(comment.postId),
          type: "CommentDeleted",
          data: { commentId, postId: comment.postId },
          actor: { userId: actor.userId, clientId: actor.clientId },
        });
      });
    },
  };
}

export type BlogCommands = ReturnType<typeof createBlogCommands>;
