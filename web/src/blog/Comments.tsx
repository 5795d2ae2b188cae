import { type FormEvent, useEffect, useId, useRef, useState, useSyncExternalStore } from "react";
import type { PostDetail } from "../api/blog";
import { useServices, useSession } from "../app-context";
import { ConnectionStatus } from "../ui/ConnectionStatus";
import { Empty } from "../ui/status";
import { CommentThread, type ThreadComment } from "./comment-thread";
import { sendComment, watchComments } from "./live-comments";
import { readableTime } from "./post-links";

/** The post's comments: read with the post, then live over the socket; signed-in readers post through the socket. Key it by the post. */
export function Comments({ post, reload }: { post: PostDetail; reload: () => void }) {
  const { api } = useServices();
  const [thread] = useState(() => new CommentThread());
  const comments = useSyncExternalStore(thread.subscribe, thread.snapshot);
  const [refused, setRefused] = useState<string>();
  // The latest reload, without watching the topic again each time the page renders.
  const reloadRef = useRef(reload);
  reloadRef.current = reload;

  useEffect(() => {
    thread.load(post.comments.edges.map(({ node }) => ({ ...node, id: node.databaseId })));
  }, [thread, post]);
  useEffect(
    () => watchComments(api.realtime, post.databaseId, thread, { reload: () => reloadRef.current(), onRefused: setRefused }),
    [api, thread, post.databaseId],
  );

  return (
    <section className="comments" aria-labelledby="comments-heading">
      <div className="page-head">
        <h2 id="comments-heading">Comments</h2>
        <ConnectionStatus />
      </div>
      {refused && <p className="status status--error">{refused}</p>}
      {comments.length === 0 ? (
        <Empty>No comments yet.</Empty>
      ) : (
        <ol className="comment-list">
          {comments.map((comment) => (
            <CommentItem
              key={comment.id ?? comment.clientId}
              comment={comment}
              onDismiss={(clientId) => thread.dismiss(clientId)}
            />
          ))}
        </ol>
      )}
      {thread.deleted && <p className="notice">This post was deleted.</p>}
      <CommentForm thread={thread} postId={post.databaseId} />
    </section>
  );
}

function CommentItem({ comment, onDismiss }: { comment: ThreadComment; onDismiss: (clientId: string) => void }) {
  return (
    <li
      className={`comment comment--${comment.state}`}
      data-testid={comment.id === undefined ? undefined : `comment-${comment.id}`}
    >
      <p className="comment__meta">
        <span className="comment__author">{comment.author}</span>{" "}
        <time dateTime={comment.createdAt}>{readableTime(comment.createdAt)}</time>
        {comment.state === "sending" && <span className="comment__state"> · Sending…</span>}
      </p>
      <p className="comment__text">{comment.text}</p>
      {comment.state === "failed" && (
        <div className="comment__error" role="alert">
          <p>{comment.error}</p>
          <button type="button" className="button button--secondary" onClick={() => onDismiss(comment.clientId ?? "")}>
            Dismiss
          </button>
        </div>
      )}
    </li>
  );
}

function CommentForm({ thread, postId }: { thread: CommentThread; postId: number }) {
  const { api } = useServices();
  const session = useSession();
  const id = useId();
  const [text, setText] = useState("");
  if (session.status !== "signed-in") return <p className="muted">Sign in to comment.</p>;
  if (!session.user.scopes.includes("blog:write")) return <p className="muted">Your sign-in does not allow writing comments.</p>;
  const author = session.user.name;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void sendComment(api.realtime, thread, { postId, text, author, clientId: crypto.randomUUID() });
    setText("");
  };
  return (
    <form className="comment-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={`${id}-text`}>Your comment</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          value={text}
          aria-describedby={`${id}-hint`}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) event.currentTarget.form?.requestSubmit();
          }}
        />
        <p id={`${id}-hint`} className="field__hint">
          Ctrl+Enter posts it. It shows at once and is confirmed when the server has it.
        </p>
      </div>
      <button type="submit" className="button">
        Post comment
      </button>
    </form>
  );
}
