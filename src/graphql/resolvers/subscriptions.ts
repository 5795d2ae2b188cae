// Subscriptions over the realtime hub: each one a bounded queue fed by hub topics, resolved per
// event with fresh loaders. Replay after `since` and the hand-over to live delivery are the hub's.
import { DomainError } from "../../errors.js";
import type { CommentSnapshot } from "../../modules/blog/events.js";
import type { ProductSnapshot } from "../../modules/catalog/events.js";
import type { TopicEvent, TopicSubscription } from "../../realtime/hub.js";
import { topicName } from "../../realtime/topics.js";
import type { GraphQLContext } from "../context.js";
import { idOf, toGlobalId } from "../global-id.js";
import { createLoaders } from "../loaders.js";
import { commentNode, type ProductSource, productNode } from "../nodes.js";
import { BoundedQueue } from "../subscriptions/bounded-queue.js";

/** Events a subscription may have waiting for a slow client before it is ended. */
export const maxQueuedEvents = 1000;

function hubOf(ctx: GraphQLContext) {
  if (!ctx.hub) throw new DomainError("ValidationFailed", "Subscriptions run over graphql-ws on this path, not over HTTP.");
  return ctx.hub;
}

/** A queue of the events of topic `topicName` after `since` that `accept` keeps ("end": the subscription is over). */
async function subscribeTo(
  ctx: GraphQLContext,
  topicName: string,
  since: string | null | undefined,
  accept: (event: TopicEvent) => boolean | "end",
) {
  const hub = hubOf(ctx);
  const topic = await hub.resolve(topicName);
  let subscription: TopicSubscription | undefined;
  const queue = new BoundedQueue<TopicEvent>(maxQueuedEvents, () => subscription?.close());
  subscription = hub.subscribe(topic, since == null ? {} : { since }, {
    onEvent: (event) => {
      const verdict = accept(event);
      if (verdict === "end") queue.end();
      else if (verdict) queue.push(event);
    },
    onError: (error) => queue.fail(error),
  });
  return queue;
}

// Each event is resolved with loaders of its own: a loader's cache must not outlive the moment it read.
function freshLoaders<T>(ctx: GraphQLContext, value: T): T {
  ctx.loaders = createLoaders(ctx.modules);
  return value;
}

const productOf = (snapshot: ProductSnapshot): ProductSource => ({
  id: snapshot.id,
  sku: snapshot.sku,
  name: snapshot.name,
  description: snapshot.description,
  priceAmount: snapshot.price.amount,
  priceCurrency: snapshot.price.currency,
  categoryId: snapshot.categoryId,
  version: snapshot.version,
  createdAt: new Date(snapshot.createdAt),
  updatedAt: new Date(snapshot.updatedAt),
});

export const subscriptionResolvers = {
  Subscription: {
    commentAdded: {
      subscribe: (_: unknown, args: { postId: string; since?: string | null }, ctx: GraphQLContext) =>
        subscribeTo(ctx, topicName.postComments(idOf("Post", args.postId, ["postId"])), args.since, (event) =>
          event.event === "PostDeleted" ? "end" : event.event === "CommentAdded",
        ),
      resolve: (event: TopicEvent, _: unknown, ctx: GraphQLContext) => {
        const comment = event.data as CommentSnapshot;
        const view = { ...comment, createdAt: new Date(comment.createdAt) };
        return freshLoaders(ctx, { position: event.position, comment: commentNode(view) });
      },
    },
    stockChanged: {
      async subscribe(_: unknown, args: { productIds: string[]; since?: string | null }, ctx: GraphQLContext) {
        const ids = [...new Set(args.productIds.map((id, i) => idOf("Product", id, ["productIds", i])))];
        if (ids.length < 1 || ids.length > 100) {
          throw new DomainError("ValidationFailed", "productIds takes 1 to 100 products.", [
            { detail: "between 1 and 100 ids", field: ["productIds"] },
          ]);
        }
        if (ids.length === 1) return subscribeTo(ctx, topicName.productInventory(ids[0] as number), args.since, () => true);
        // Several products: the one inventory topic, filtered, so their events keep the feed's order.
        const known = await ctx.modules.catalog.queries.productsByIds(ids);
        const missing = ids.find((_, i) => known[i] === undefined);
        if (missing !== undefined) throw new DomainError("NotFound", `Product ${missing} does not exist.`);
        const wanted = new Set(ids);
        return subscribeTo(ctx, "inventory", args.since, (event) => wanted.has((event.data as { productId: number }).productId));
      },
      resolve: (event: TopicEvent, _: unknown, ctx: GraphQLContext) =>
        freshLoaders(ctx, { position: event.position, event: event.event, stock: event.data }),
    },
    productChanged: {
      subscribe: (_: unknown, args: { since?: string | null }, ctx: GraphQLContext) =>
        subscribeTo(ctx, "products", args.since, () => true),
      resolve: (event: TopicEvent, _: unknown, ctx: GraphQLContext) => {
        const data = event.data as ProductSnapshot | { id: number };
        return freshLoaders(ctx, {
          position: event.position,
          event: event.event,
          productId: toGlobalId("Product", data.id),
          product: event.event === "ProductDeleted" ? null : productNode(productOf(data as ProductSnapshot)),
        });
      },
    },
  },
};
