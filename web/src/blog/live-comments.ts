import type { ErrorFrame, RealtimeClient } from "../api/realtime";
import type { CommentThread, ServerComment } from "./comment-thread";

// A post's comments live over the socket, as the seed's LiveComments does it: watch the post's
// topic, post through the socket, show the comment at once and let the ack confirm it.

/** The topic of a post's comments. */
export const commentsTopic = (postId: number) => `post:${postId}:comments`;

/** Words for a refused comment frame. */
export function describeFrameError(frame: ErrorFrame): string {
  const fields = (frame.errors ?? []).map((e) => ("field" in e ? `${e.field}: ${e.detail}` : `${e.parameter}: ${e.detail}`));
  if (frame.code === "FORBIDDEN") return "Not posted: your sign-in does not allow writing comments.";
  if (frame.code === "UNAUTHENTICATED") return "Not posted: sign in to comment.";
  return `Not posted: ${fields.length > 0 ? fields.join("; ") : frame.detail}`;
}

/**
 * Watches the post's comments into `thread`; `reload` re-reads them once the topic is first live
 * and after a resync; `onRefused` when the topic is refused.
 */
export function watchComments(
  realtime: RealtimeClient,
  postId: number,
  thread: CommentThread,
  handlers: { reload(): void; onRefused(message: string): void },
): () => void {
  // A first subscription starts at "now": a comment written between the page's read and that
  // moment would be in neither, so the comments are read once more when the topic is first live.
  let firstLive = true;
  return realtime.watch(commentsTopic(postId), {
    onEvent: (frame) => thread.apply(frame.event, frame.data as ServerComment),
    onLive: () => {
      if (firstLive) handlers.reload();
      firstLive = false;
    },
    onResync: handlers.reload,
    onError: (frame) => handlers.onRefused(frame.code === "NOT_FOUND" ? "This post does not exist (any more)." : frame.detail),
  });
}

/** Posts a comment over the socket: shown at once, confirmed by the ack or marked refused in words. */
export async function sendComment(
  realtime: RealtimeClient,
  thread: CommentThread,
  comment: { postId: number; text: string; author: string; clientId: string },
): Promise<void> {
  thread.addOptimistic(comment.clientId, comment.text, comment.author);
  try {
    const ack = await realtime.postComment(comment.postId, comment.text, comment.clientId);
    thread.acknowledge(comment.clientId, ack.commentId);
  } catch (error) {
    thread.refuse(comment.clientId, describeFrameError(error as ErrorFrame));
  }
}
