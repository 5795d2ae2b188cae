// The topic hub: one live subscription to the process's event feed, fanned out to subscribers
// indexed by topic name, with each event serialized once per topic rather than once per socket.
// The WebSocket transport and GraphQL subscriptions both subscribe here.
//
// Resuming (`since`): the subscriber first reads through its own feed subscription (replay, then
// live, without gap or duplicate: see EventFeed.subscribe). The moment that subscription goes live
// it is handed over to the topic index. Both are live subscribers of the same feed then, so the
// hub's own subscription has delivered exactly the events up to the feed's cursor, and the
// replay has delivered every matching event up to that cursor too (possibly a few beyond it);
// the subscriber remembers the last position it was handed and skips anything at or before it.
import { DomainError } from "../errors.js";
import type { EventFeed, FeedEvent, Subscription } from "../events/feed.js";
import { type FeedPosition, formatPosition, isAfter } from "../events/position.js";
import type { EventType } from "../events/registry.js";
import type { Logger } from "../logger.js";
import type { Modules } from "../modules/index.js";
import { textFrame } from "./protocol.js";
import { type Topic, TopicDirectory, topicNamesOf } from "./topics.js";

export type { Topic } from "./topics.js";

/** One event as a topic delivers it. */
export type TopicEvent = {
  topic: string;
  /** The feed position "<txid>-<id>"; a client resumes after it with `since`. */
  position: string;
  event: EventType;
  /** What a client shows: the comment as a reader sees it, the stock level after the movement, the product. */
  data: unknown;
  /** The complete WebSocket text frame (header and JSON), built once per topic: every socket is sent these same bytes. */
  frame: Buffer;
};

/** Called synchronously, in feed order, never awaited: a consumer bounds its own queue. */
export type TopicHandlers = {
  onEvent(event: TopicEvent): void;
  /** Every event after `since` was handed over; live ones follow (at once without `since`). */
  onLive?(): void;
  /** The subscription ended: `since` malformed or unknown (ValidationFailed naming `since`), or the feed stopped. */
  onError?(error: unknown): void;
};

export type TopicSubscription = { close(): void };

/** Subscribers by topic name. */
type TopicIndex = Map<string, Set<TopicSubscriber>>;

/** One subscriber of one topic, and its own handle: a subscription allocates nothing else (no closures per socket). */
class TopicSubscriber implements TopicSubscription {
  /** The last event the replay handed over: live ones at or before it were delivered already. */
  after: FeedPosition | undefined;
  replay: Subscription | undefined;
  closed = false;

  constructor(
    private readonly index: TopicIndex,
    readonly topic: Topic,
    readonly handlers: TopicHandlers,
  ) {}

  /** Starts receiving the hub's live events. */
  join(): void {
    const subscribers = this.index.get(this.topic.name) ?? new Set<TopicSubscriber>();
    this.index.set(this.topic.name, subscribers);
    subscribers.add(this);
  }

  close(): void {
    this.closed = true;
    this.replay?.close();
    const subscribers = this.index.get(this.topic.name);
    if (subscribers?.delete(this) && subscribers.size === 0) this.index.delete(this.topic.name);
  }
}

function topicEvent(topic: string, event: FeedEvent, position = formatPosition(event.position)): TopicEvent {
  const frame = textFrame(JSON.stringify({ type: "event", topic, position, event: event.type, data: event.data }));
  return { topic, position, event: event.type, data: event.data, frame };
}

// The feed names its option `from`; the protocols call it `since`.
function asSinceError(error: unknown): unknown {
  if (!(error instanceof DomainError) || error.code !== "ValidationFailed") return error;
  const errors = error.errors.map((e) => ("parameter" in e && e.parameter === "from" ? { ...e, parameter: "since" } : e));
  return new DomainError(error.code, error.message, errors);
}

/** Fans the feed out by topic; one per process, over the app's feed. */
export class TopicHub {
  private readonly topics: TopicIndex = new Map();
  private feedSubscription: Subscription | undefined;
  private readonly directory: TopicDirectory;

  constructor(
    private readonly feed: EventFeed,
    modules: Pick<Modules, "blog" | "catalog">,
    private readonly logger: Logger,
  ) {
    this.directory = new TopicDirectory(modules);
  }

  /** Joins the feed's live delivery; call once the feed is started. */
  start(): void {
    this.feedSubscription = this.feed.subscribe({}, { onEvent: (event) => this.dispatch(event) });
  }

  /** Stops fanning out; subscribers get nothing more. */
  stop(): void {
    this.feedSubscription?.close();
    this.topics.clear();
  }

  /** Subscribers per topic, for metrics and tests. */
  subscriberCount(topic: string): number {
    return this.topics.get(topic)?.size ?? 0;
  }

  /** Resolves a topic name (ValidationFailed naming `topic`, or NotFound for a missing post or product). */
  resolve(name: string): Promise<Topic> {
    return this.directory.resolve(name);
  }

  /** Hands `handlers` the topic's events after `since` (absent: only new ones), then live ones: each once, in feed order. */
  subscribe(topic: Topic, options: { since?: string }, handlers: TopicHandlers): TopicSubscription {
    const subscriber = new TopicSubscriber(this.topics, topic, handlers);
    if (options.since === undefined) {
      subscriber.join();
      handlers.onLive?.();
      return subscriber;
    }
    subscriber.replay = this.feed.subscribe(
      { from: options.since, filter: topic.filter },
      {
        onEvent: (event) => {
          subscriber.after = event.position;
          if (topic.delivers(event.type)) handlers.onEvent(topicEvent(topic.name, event));
        },
        onLive: () => {
          subscriber.replay?.close();
          subscriber.replay = undefined;
          if (subscriber.closed) return;
          subscriber.join();
          handlers.onLive?.();
        },
        onError: (error) => {
          if (!subscriber.closed) handlers.onError?.(asSinceError(error));
        },
      },
    );
    return subscriber;
  }

  private dispatch(event: FeedEvent): void {
    this.directory.forget(event);
    let position: string | undefined;
    for (const topic of topicNamesOf(event)) {
      const subscribers = this.topics.get(topic);
      if (!subscribers) continue;
      position ??= formatPosition(event.position);
      const delivered = topicEvent(topic, event, position);
      for (const subscriber of subscribers) {
        if (subscriber.after) {
          if (!isAfter(event.position, subscriber.after)) continue;
          subscriber.after = undefined; // past the replay's last event: nothing more to skip
        }
        try {
          subscriber.handlers.onEvent(delivered);
        } catch (error) {
          this.logger.error({ err: error, topic, type: event.type }, "topic subscriber failed");
        }
      }
    }
  }
}
