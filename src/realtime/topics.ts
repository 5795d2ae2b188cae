// What a client can watch. A topic is a name ("post:42:comments"), the slice of the feed it reads
// (a feed filter) and the event types in that slice it delivers. Every event maps to the names of
// the topics it belongs to, so the hub fans out by name without testing each subscriber.
import { LRUCache } from "lru-cache";
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

const deliversAll = () => true;
const deliversComments = (type: EventType) => commentEvents.has(type);
const everyProductsStock: Topic = { name: "inventory", filter: { streamType: "inventory" }, delivers: deliversAll };
const everyProduct: Topic = { name: "products", filter: { streamType: "product" }, delivers: deliversAll };

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
  if (name === "inventory") return everyProductsStock;
  if (name === "products") return everyProduct;
  const postId = recordIdIn(postComments.exec(name));
  if (postId !== undefined) {
    const [post] = await modules.blog.queries.postsByIds([postId]);
    if (!post) throw new DomainError("NotFound", `Post ${postId} does not exist.`);
    return { name, filter: { streamType: "post", streamIds: [String(postId)] }, delivers: deliversComments };
  }
  const productId = recordIdIn(productInventory.exec(name));
  if (productId !== undefined) {
    const [product] = await modules.catalog.queries.productsByIds([productId]);
    if (!product) throw new DomainError("NotFound", `Product ${productId} does not exist.`);
    return { name, filter: { streamType: "inventory", streamIds: [String(productId)] }, delivers: deliversAll };
  }
  throw unknownTopic(name);
}

/** How many resolved topics a process remembers; a topic forgotten is looked up again on next use. */
const rememberedTopics = 10_000;

/**
 * Topics by name, each looked up once: a post's or product's existence is remembered (an LRU),
 * concurrent lookups of one name share one query, and a topic is forgotten when the feed says its
 * post or product was deleted. Between that delete's commit and its arrival here a subscribe can
 * still succeed; such a subscriber then receives the PostDeleted event like one that subscribed a
 * moment earlier. Only topics that exist are remembered: one created later is found at once.
 */
export class TopicDirectory {
  private readonly known = new LRUCache<string, Topic>({ max: rememberedTopics });
  private readonly lookups = new Map<string, Promise<Topic>>();
  /** Bumped by every forget: a lookup that raced one is answered but not remembered. */
  private generation = 0;

  constructor(private readonly modules: Pick<Modules, "blog" | "catalog">) {}

  /** The topic named `name`, as resolveTopic answers it. */
  resolve(name: string): Promise<Topic> {
    const known = this.known.get(name);
    if (known) return Promise.resolve(known);
    const running = this.lookups.get(name);
    if (running) return running;
    const generation = this.generation;
    const lookup = resolveTopic(name, this.modules)
      .then((topic) => {
        if (generation === this.generation) this.known.set(name, topic);
        return topic;
      })
      .finally(() => this.lookups.delete(name));
    this.lookups.set(name, lookup);
    return lookup;
  }

  /** Forgets the topic whose post or product `event` deletes. */
  forget(event: FeedEvent): void {
    let name: string;
    if (event.type === "PostDeleted") name = topicName.postComments(event.data.postId);
    else if (event.type === "ProductDeleted") name = topicName.productInventory(event.data.id);
    else return;
    this.generation += 1;
    this.known.delete(name);
  }
}
