import { type Actor, isStaff } from "../../auth/actor.js";
import { DomainError } from "../../errors.js";
import { actorLabel, appendToStream, lockStream } from "../../events/append.js";
import { authorize } from "../shared/authorize.js";
import type { CommandRunner } from "../shared/command-runner.js";
import { commentSnapshot, postSnapshot, postStream } from "./events.js";
import { type CommentView, commentSelect, type PostView, postSelect, toPostView } from "./queries.js";

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

/** A comment just added, with the feed position of its CommentAdded event (where a live reader sees it). */
export type AddedComment = CommentView & { position: string };

// A comment kept for an idempotent repeat comes back as JSON: its date is a string again.
const reviveComment = (stored: unknown): AddedComment => {
  const comment = stored as Omit<AddedComment, "createdAt"> & { createdAt: string };
  return { ...comment, createdAt: new Date(comment.createdAt) };
};

/** Write side of the blog (scope blog:write); each command returns what it wrote, read in its own transaction. */
export function createBlogCommands(runner: CommandRunner) {
  return {
    /** Publishes a post by the signed-in user; appends PostCreated. */
    async createPost(caller: Actor | undefined, input: { title: string; content: string }): Promise<PostView> {
      const actor = authorize(caller, "blog:write");
      const authorId = requireUser(actor, "write posts");
      return runner.transaction(async (tx) => {
        const post = await tx.post.create({ data: { ...input, authorId }, select: postSelect });
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(post.id),
          type: "PostCreated",
          data: postSnapshot(toPostView(post)),
          actor: eventActor(actor),
        });
        return toPostView(post);
      });
    },

    /** Changes a post (author or staff); appends PostUpdated. */
    async updatePost(caller: Actor | undefined, postId: number, patch: { title?: string; content?: string }): Promise<PostView> {
      const actor = authorize(caller, "blog:write");
      return runner.transaction(async (tx) => {
        await lockStream(tx, postStream, String(postId));
        const post = await tx.post.findUnique({ where: { id: postId }, select: { authorId: true } });
        if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
        requireAuthorOrStaff(actor, post.authorId, "post");
        const updated = await tx.post.update({ where: { id: postId }, data: patch, select: postSelect });
        await appendToStream(tx, {
          streamType: postStream,
          streamId: String(postId),
          type: "PostUpdated",
          data: postSnapshot(toPostView(updated)),
          actor: eventActor(actor),
        });
        return toPostView(updated);
      });
    },

    /** Deletes a post and its comments (author or staff); appends PostDeleted. */
    async deletePost(caller: Actor | undefined, postId: number): Promise<void> {
      const actor = authorize(caller, "blog:write");
      await runner.transaction(async (tx) => {
        await lockStream(tx, postStream, String(postId));
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

    /**
     * Adds the signed-in user's comment to a post; appends CommentAdded. With `idempotencyKey`
     * (a socket client's id for its comment), a repeat returns the first comment and adds nothing.
     */
    async addComment(
      caller: Actor | undefined,
      postId: number,
      text: string,
      options: { idempotencyKey?: string } = {},
    ): Promise<AddedComment> {
      const actor = authorize(caller, "blog:write");
      const authorId = requireUser(actor, "comment");
      const { idempotencyKey: key } = options;
      const idempotency = key ? { scope: actorLabel(actor), key, request: ["addComment", postId, text] } : undefined;
      return runner.transaction(
        async (tx) => {
          await lockStream(tx, postStream, String(postId));
          // FOR SHARE: a post deleted meanwhile waits for this comment, instead of failing its foreign key.
          const [post] = await tx.$queryRaw<{ id: number }[]>`SELECT id FROM posts WHERE id = ${postId} FOR SHARE`;
          if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
          const comment = await tx.comment.create({ data: { postId, authorId, text }, select: commentSelect });
          const { position } = await appendToStream(tx, {
            streamType: postStream,
            streamId: String(postId),
            type: "CommentAdded",
            data: commentSnapshot(comment),
            actor: eventActor(actor),
          });
          return { ...comment, position };
        },
        { idempotency, revive: reviveComment },
      );
    },

    /**
     * Deletes a comment. Only its author, or staff/admin, may; a machine client acting for itself
     * never may. Appends `CommentDeleted` to the post's stream in the same transaction.
     */
    async deleteComment(caller: Actor | undefined, commentId: number, expected: { postId?: number } = {}): Promise<void> {
      const actor = authorize(caller, "blog:write");
      await runner.transaction(async (tx) => {
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
        await lockStream(tx, postStream, String(comment.postId));
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
