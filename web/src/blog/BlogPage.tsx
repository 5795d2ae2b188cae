import { useQuery } from "@apollo/client/react";
import { GetPosts } from "../api/blog";
import { describeGraphQLError } from "../api/graphql-errors";
import { useSession } from "../app-context";
import { Link } from "../router";
import { Empty, ErrorMessage, Loading } from "../ui/status";
import { NewPostForm } from "./NewPostForm";
import { excerpt, postHref, readableTime } from "./post-links";

/** The blog: every post (the seed's GetPosts over GraphQL), and a form to write one when signed in with blog:write. */
export function BlogPage() {
  const session = useSession();
  const posts = useQuery(GetPosts);
  const canWrite = session.status === "signed-in" && session.user.scopes.includes("blog:write");
  const list = posts.data?.posts;

  return (
    <section className="blog">
      <h1 tabIndex={-1}>Blog</h1>
      <p className="lede">Notes from the stockroom and its readers. Comments on a post arrive live.</p>
      {canWrite && <NewPostForm />}
      {session.status === "signed-in" && !canWrite && <p className="notice">Your sign-in does not allow writing posts.</p>}
      {session.status === "anonymous" && <p className="muted">Sign in to write a post or a comment.</p>}

      <section aria-labelledby="posts-heading" aria-busy={posts.loading} className="results">
        <h2 id="posts-heading">Posts</h2>
        {posts.loading && !list && <Loading label="Loading posts…" />}
        {posts.error && <ErrorMessage message={describeGraphQLError(posts.error)} onRetry={() => void posts.refetch()} />}
        {list && list.length === 0 && <Empty>No posts yet.{canWrite ? " Write the first one above." : ""}</Empty>}
        {list && list.length > 0 && (
          <ol className="post-list">
            {list.map((post) => (
              <li key={post.id}>
                <article className="post-card">
                  <h3 className="post-card__title">
                    <Link href={postHref(post.id)}>{post.title}</Link>
                  </h3>
                  <p className="post-card__meta">
                    By {post.author.username} · <time dateTime={post.createdAt}>{readableTime(post.createdAt)}</time>
                  </p>
                  <p className="post-card__excerpt">{excerpt(post.content)}</p>
                </article>
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
