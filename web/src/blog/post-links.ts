// Where a post lives in the app: /blog/<its GraphQL id>, which post(id) takes back as it is.

/** The app's address of the post with GraphQL id `id`. */
export const postHref = (id: string) => `/blog/${encodeURIComponent(id)}`;

/** A date and time as readers here read it. */
export const readableTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });

/** The start of a post's text, for the list. */
export function excerpt(content: string, length = 220): string {
  const flat = content.replace(/\s+/g, " ").trim();
  return flat.length <= length ? flat : `${flat.slice(0, length).replace(/\s\S*$/, "")}…`;
}
