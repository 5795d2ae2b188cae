// What a client can watch. A topic is a name ("post:42:comments"), the slice of the feed it reads
// (a feed filter) and the event types in that slice it delivers. Every event maps to the names of
// the topics it belongs to, so the hub fans out by name without testing each subscriber.
import { DomainError } from "../errors.js";
import type { FeedEvent, FeedFilter } from "../events/feed.js";
import type { EventType } from "../events/registry.js";
import type { Modules } from "../modules/index.js";
import { int4 } from "../modules/shared/fields.js";

/** A topic a client may subscribe to, resolved against the data (its post or product exists). */
export type Topic = { name: string; filter: FeedFilter; delivers(type: EventType): boolean };

const commentEvents = new Set<EventType>(["CommentAdded", "CommentDeleted", "PostDeleted"]);
const postComments = /^post:([1-9][0-9]{0,9}):comments$/;
const productInventory = /^product:([1-9][0-9]{0,9}):inventory$/;

/** The topic names `event` is delivered on. */
export function topicNamesOf(event: FeedEvent): string[] {
  switch (event.streamType) {
    case "post":
      return commentEvents.has(event.type) ? [`post:${event.streamId}:comments`] : [];
    case "inventory":
      return [`product:${event.streamId}:inventory`, "inventory"];
    case "product":
      return ["products"];
  }
}

/** Topic names as the protocol spells them. */
export const topicName = {
  postComments: (postId: number) => `post:${postId}:comments`,
  productInventory: (productId: number) => `product:${productId}:inventory`,
};

function unknownTopic(name: string): DomainError {
  return new DomainError("ValidationFailed", `"${name}" is not a topic.`, [
    {
      detail: 'expected "post:{id}:comments", "product:{id}:inventory", "inventory" or "products"',
      field: ["topic"],
    },
  ]);
}

function recordIdIn(match: RegExpExecArray | null): number | undefined {
  const id = match ? Number(match[1]) : undefined;
  return id !== undefined && id <= int4.max ? id : undefined;
}

/** Resolves a topic name; ValidationFailed naming `topic` for a name that is no topic, NotFound for a post or product that does not exist. */
export async function resolveTopic(name: string, modules: Pick<Modules, "blog" | "catalog">): Promise<Topic> {
  if (name === "inventory") return { name, filter: { streamType: "inventory" }, delivers: () => true };
  if (name === "products") return { name, filter: { streamType: "product" }, delivers: () => true };
  const postId = recordIdIn(postComments.exec(name));
  if (postId !== undefined) {
    const [post] = await modules.blog.queries.postsByIds([postId]);
    if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
    return { name, filter: { streamType: "post", streamIds: [String(postId)] }, delivers: (type) => commentEvents.has(type) };
  }
  const productId = recordIdIn(productInventory.exec(name));
  if (productId !== undefined) {
    const [product] = await modules.catalog.queries.productsByIds([productId]);
    if (!product) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
    return { name, filter: { streamType: "inventory", streamIds: [String(productId)] }, delivers: () => true };
  }
  throw unknownTopic(name);
}
