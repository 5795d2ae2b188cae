import { useMutation } from "@apollo/client/react";
import { type FormEvent, useId, useRef, useState } from "react";
import { CreatePost, GetPosts, type PostUserError } from "../api/blog";
import { describeGraphQLError } from "../api/graphql-errors";
import { navigate } from "../router";
import { postHref } from "./post-links";

const fieldLabels: Record<string, string> = { title: "Title", content: "Text" };

/** Words for the payload's errors: "Title: must be 1-200 characters". */
function describeUserErrors(errors: PostUserError[]): string {
  return errors.map((e) => (e.field && fieldLabels[e.field] ? `${fieldLabels[e.field]}: ${e.message}` : e.message)).join(" ");
}

/** Writes a post with the seed's CreatePost; on success the new post heads the list and the page goes to it. */
export function NewPostForm() {
  const id = useId();
  const [problem, setProblem] = useState<{ message: string; field?: string }>();
  const outcome = useRef<HTMLParagraphElement>(null);
  const [createPost, { loading }] = useMutation(CreatePost, {
    update(cache, { data }) {
      const post = data?.createPost.post;
      if (post) cache.updateQuery({ query: GetPosts }, (list) => (list ? { posts: [post, ...list.posts] } : list));
    },
  });

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setProblem(undefined);
    try {
      const { data } = await createPost({
        variables: { title: String(form.get("title")), content: String(form.get("content")) },
      });
      const answer = data?.createPost;
      if (answer?.post) return navigate(postHref(answer.post.id));
      const errors = answer?.errors ?? [];
      setProblem({ message: `Not published. ${describeUserErrors(errors)}`, field: errors[0]?.field ?? undefined });
    } catch (error) {
      setProblem({ message: `Not published. ${describeGraphQLError(error)}` });
    }
    queueMicrotask(() => outcome.current?.focus());
  }

  const invalid = (field: string) => (problem?.field === field ? true : undefined);
  return (
    <form className="post-form" aria-labelledby={`${id}-heading`} onSubmit={submit} noValidate>
      <h2 id={`${id}-heading`}>Write a post</h2>
      <div className="field">
        <label htmlFor={`${id}-title`}>Title</label>
        <input id={`${id}-title`} name="title" maxLength={200} autoComplete="off" aria-invalid={invalid("title")} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-content`}>Text</label>
        <textarea id={`${id}-content`} name="content" rows={6} aria-invalid={invalid("content")} />
      </div>
      <div className="post-form__actions">
        <button type="submit" className="button" disabled={loading}>
          {loading ? "Publishing…" : "Publish"}
        </button>
        <p ref={outcome} tabIndex={-1} className="outcome outcome--error" role="alert">
          {problem?.message}
        </p>
      </div>
    </form>
  );
}
