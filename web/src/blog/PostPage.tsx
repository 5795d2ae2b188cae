import { useQuery } from "@apollo/client/react";
import { useEffect } from "react";
import { commentsPerPost, GetPost } from "../api/blog";
import { describeGraphQLError } from "../api/graphql-errors";
import { Link } from "../router";
import { ErrorMessage, Loading } from "../ui/status";
import { Comments } from "./Comments";
import { readableTime } from "./post-links";

/** One post (GraphQL) and its comments, live over the socket. `id` is the post's GraphQL id. */
export function PostPage({ id }: { id: string }) {
  const result = useQuery(GetPost, { variables: { id, comments: commentsPerPost }, notifyOnNetworkStatusChange: false });
  const post = result.data?.post;
  const missing = result.data && !post;

  // One h1 throughout, so the focus the frame gives it on arrival stays as the post loads.
  const heading = post?.title ?? (missing ? "Post not found" : result.error ? "Post" : "Loading post…");
  useEffect(() => {
    document.title = `${heading} · Stockroom`;
  }, [heading]);
  return (
    <article className="post" aria-busy={result.loading}>
      <p className="breadcrumb">
        <Link href="/blog">← All posts</Link>
      </p>
      <h1 tabIndex={-1}>{heading}</h1>
      {result.loading && !result.data && <Loading label="Loading the post…" />}
      {result.error && <ErrorMessage message={describeGraphQLError(result.error)} onRetry={() => void result.refetch()} />}
      {missing && <p>There is no post at this address; it may have been deleted.</p>}
      {post && (
        <>
          <p className="post__meta">
            By {post.author.username} · <time dateTime={post.createdAt}>{readableTime(post.createdAt)}</time>
          </p>
          <div className="post__content">
            {post.content.split(/\n{2,}/).map((paragraph, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: paragraphs of one text have no other identity
              <p key={index}>{paragraph}</p>
            ))}
          </div>
          <Comments key={post.databaseId} post={post} reload={() => void result.refetch()} />
        </>
      )}
    </article>
  );
}
