// The comments of one post as the page shows them: those the server confirmed (read over GraphQL,
// or arrived over the socket), plus the reader's own comments in flight. A comment sent over the
// socket shows at once as "sending"; its ack gives it its id, which is how it is shown from then
// on, exactly once, whether the feed's CommentAdded or the ack arrives first.

export type ThreadComment = {
  /** The comment's id once the server has it; undefined while it is in flight. */
  id?: number;
  /** The clientId of a comment this tab sent, until it is confirmed. */
  clientId?: string;
  text: string;
  author: string;
  createdAt: string;
  state: "confirmed" | "sending" | "failed";
  /** Why a failed comment was refused, in words. */
  error?: string;
};

/** A comment as the server describes it (the socket's CommentAdded data; GraphQL's comment with databaseId). */
export type ServerComment = { id: number; text: string; author: { username: string }; createdAt: string };

type Listener = () => void;

/** One post's comments: confirmed by id, in flight by clientId; observable. */
export class CommentThread {
  private readonly confirmed = new Map<number, ThreadComment>();
  private readonly inFlight = new Map<string, ThreadComment>();
  /** Per comment in flight: the ids confirmed when it was sent (any later one may be it). */
  private readonly knownWhenSent = new Map<string, Set<number>>();
  private readonly listeners = new Set<Listener>();
  private shown: ThreadComment[] = [];
  private postDeleted = false;

  /** Adds or refreshes confirmed comments (a GraphQL read, a replay). */
  load(comments: readonly ServerComment[]): void {
    for (const comment of comments) this.confirmed.set(comment.id, confirmedOf(comment));
    this.changed();
  }

  /** Shows the reader's own comment at once, before the server answers. */
  addOptimistic(clientId: string, text: string, author: string): void {
    this.inFlight.set(clientId, { clientId, text, author, createdAt: new Date().toISOString(), state: "sending" });
    this.knownWhenSent.set(clientId, new Set(this.confirmed.keys()));
    this.changed();
  }

  /** The server accepted the comment sent as `clientId` and gave it `commentId`. */
  acknowledge(clientId: string, commentId: number): void {
    const pending = this.inFlight.get(clientId);
    this.inFlight.delete(clientId);
    this.knownWhenSent.delete(clientId);
    if (pending && !this.confirmed.has(commentId)) {
      this.confirmed.set(commentId, { ...pending, id: commentId, clientId: undefined, state: "confirmed" });
    }
    this.changed();
  }

  /** The server refused the comment sent as `clientId`; `reason` says why in words. */
  refuse(clientId: string, reason: string): void {
    const pending = this.inFlight.get(clientId);
    if (pending) this.inFlight.set(clientId, { ...pending, state: "failed", error: reason });
    this.changed();
  }

  /** Forgets a failed comment (the reader dismissed it or sends it again). */
  dismiss(clientId: string): void {
    this.inFlight.delete(clientId);
    this.knownWhenSent.delete(clientId);
    this.changed();
  }

  /** Applies one event of the post's comments topic. */
  apply(event: string, data: unknown): void {
    if (event === "CommentAdded") this.confirmed.set((data as ServerComment).id, confirmedOf(data as ServerComment));
    else if (event === "CommentDeleted") this.confirmed.delete((data as { commentId: number }).commentId);
    else if (event === "PostDeleted") this.postDeleted = true;
    else return;
    this.changed();
  }

  /** The comments to show: confirmed ones in id order, then this tab's own in flight. */
  snapshot = (): readonly ThreadComment[] => this.shown;

  /** True once the post itself was deleted. */
  get deleted(): boolean {
    return this.postDeleted;
  }

  subscribe = (listener: Listener) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed() {
    const confirmed = [...this.confirmed.values()].sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    // The feed's CommentAdded carries no clientId: until the ack names the id, a comment in flight
    // whose text and author match one that arrived since it was sent is that comment, shown once.
    const arrivedAfter = (pending: ThreadComment) => {
      const known = this.knownWhenSent.get(pending.clientId ?? "") ?? new Set<number>();
      return confirmed.some(
        (c) => c.id !== undefined && !known.has(c.id) && c.text === pending.text && c.author === pending.author,
      );
    };
    const inFlight = [...this.inFlight.values()].filter((pending) => pending.state === "failed" || !arrivedAfter(pending));
    this.shown = [...confirmed, ...inFlight];
    for (const listener of this.listeners) listener();
  }
}

function confirmedOf(comment: ServerComment): ThreadComment {
  return {
    id: comment.id,
    text: comment.text,
    author: comment.author.username,
    createdAt: comment.createdAt,
    state: "confirmed",
  };
}
