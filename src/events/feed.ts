// The event feed: every server instance tails the one `events` table and hands new events, in
// feed order, to its subscribers (WebSocket topics, GraphQL subscriptions).
//
// Why (txid, id) and the xmin horizon: an identity id is taken at INSERT, not at COMMIT, so id 10
// can commit after id 11 and a reader that already passed 11 would skip 10 forever. Each event
// stores its writer's pg_current_xact_id(); readers order by (txid, id) and only take rows whose
// transaction is older than the oldest one still running (pg_snapshot_xmin). Everything below that
// horizon is finished, so nothing can appear later behind a position a reader has passed. Writers
// never wait on each other for it (unlike a global append lock); the price is that a long-running
// write transaction anywhere on the server delays (never loses) delivery until it ends.
//
// subscribe({ from, filter }) replays from the table, then joins the live delivery at a moment
// when the live cursor cannot have passed anything the replay did not cover (see replay()), so a
// subscriber gets every event after `from` once, in feed order, with no buffer in between.
//
// Retention: the log is the inventory's store and is kept. A deployment that must trim it can
// archive non-inventory events older than the oldest resume position it promises (e.g. 30 days)
// to cold storage with `DELETE … RETURNING` in batches; inventory streams are never trimmed.
import { NotificationListener } from "../db/notifications.js";
import type { PrismaClient } from "../db/prisma.js";
import { DomainError } from "../errors.js";
import type { Logger } from "../logger.js";
import { feedChannel } from "./append.js";
import { type FeedPosition, feedStart, formatPosition, isAfter, parsePosition } from "./position.js";
import {
  eventsPending,
  type FeedEvent,
  type FeedFilter,
  headPosition,
  isEventPosition,
  matchesFilter,
  readPage,
  rowsRead,
  type UnreadableEvent,
} from "./read.js";

export type { FeedEvent, FeedFilter } from "./read.js";

/** What a subscriber asks for: the events after `from` ("<txid>-<id>"; absent: only new ones) that pass `filter`. */
export type SubscribeOptions = { from?: string; filter?: FeedFilter };

/**
 * Called synchronously, in feed order, and never awaited: the feed keeps no queue per subscriber,
 * so a consumer bounds its own (e.g. a socket's buffered bytes) and closes the subscription when
 * it cannot keep up.
 */
export type SubscriptionHandlers = {
  /** One event: replayed ones first, then live ones; each exactly once. */
  onEvent(event: FeedEvent): void;
  /** The replay is done; only live events follow (called at once without `from`). */
  onLive?(): void;
  /** The subscription ended: `from` malformed or unknown (ValidationFailed naming it), the feed stopped, or a read failed. */
  onError?(error: unknown): void;
};

/** A subscriber's handle. */
export type Subscription = { close(): void };

/** One subscriber: its filter, and the position of the last event it was handed (nothing at or before it is handed again). */
class Subscriber {
  closed = false;

  constructor(
    readonly filter: FeedFilter,
    private readonly handlers: SubscriptionHandlers,
    public after: FeedPosition | undefined,
    private readonly logger: Logger,
  ) {}

  deliver(event: FeedEvent): void {
    if (this.closed || (this.after && !isAfter(event.position, this.after)) || !matchesFilter(event, this.filter)) return;
    this.after = event.position;
    try {
      this.handlers.onEvent(event);
    } catch (error) {
      this.logger.error({ err: error, type: event.type }, "event subscriber failed");
    }
  }

  goLive(): void {
    if (!this.closed) this.handlers.onLive?.();
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.closed = true;
    this.handlers.onError?.(error);
  }
}

const minHorizonRetryMs = 5;
const maxHorizonRetryMs = 250;

export type FeedOptions = { pollIntervalMs?: number; batchSize?: number; reconnectDelayMs?: number };

/** Tails the events table for one process: woken by LISTEN/NOTIFY, and polling as a safety net. */
export class EventFeed {
  private cursor: FeedPosition = feedStart;
  /** Subscribers receiving live events (those still replaying join when caught up). */
  private readonly live = new Set<Subscriber>();
  private readonly replays = new Set<Promise<void>>();
  private started = false;
  private readonly listener: NotificationListener;
  private pollTimer: NodeJS.Timeout | undefined;
  private horizonTimer: NodeJS.Timeout | undefined;
  private horizonRetryMs = minHorizonRetryMs;
  private reading: Promise<void> | undefined;
  private readAgain = false;
  private stopped = false;
  private readonly pollIntervalMs: number;
  private readonly batchSize: number;

  constructor(
    private readonly prisma: PrismaClient,
    databaseUrl: string,
    private readonly logger: Logger,
    options: FeedOptions = {},
  ) {
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.batchSize = options.batchSize ?? 500;
    // A dropped LISTEN connection loses notifications silently; polling covers the gap while it reconnects.
    const wake = () => this.wake();
    this.listener = new NotificationListener(
      databaseUrl,
      feedChannel,
      { onNotification: wake, onListening: wake },
      logger,
      options.reconnectDelayMs ?? 1000,
    );
  }

  /** Starts delivering events after `from` (default: the current head, i.e. only new events). */
  async start(from?: FeedPosition): Promise<void> {
    this.cursor = from ?? (await headPosition(this.prisma));
    await this.listener.start();
    this.started = true;
    this.pollTimer = setInterval(() => this.wake(), this.pollIntervalMs);
    this.pollTimer.unref();
    this.wake();
  }

  /** The position of the last event delivered. */
  get position(): FeedPosition {
    return this.cursor;
  }

  /**
   * Hands `handlers.onEvent` the events after `options.from` that pass the filter, in feed order,
   * then calls `onLive` and goes on with live events: no gap and no duplicate at the boundary.
   * Without `from`, live at once. A malformed or unknown `from` ends in `onError` (ValidationFailed
   * naming `from`). Throws if the feed is not running (a composition error).
   */
  subscribe(options: SubscribeOptions, handlers: SubscriptionHandlers): Subscription {
    if (!this.started || this.stopped) throw new Error("subscribe() needs a started event feed");
    const subscriber = new Subscriber(options.filter ?? {}, handlers, undefined, this.logger);
    const close = () => {
      subscriber.closed = true;
      this.live.delete(subscriber);
    };
    if (options.from === undefined) {
      this.live.add(subscriber);
      subscriber.goLive();
      return { close };
    }
    const replay = this.replay(subscriber, options.from).catch((error) => subscriber.fail(error));
    this.replays.add(replay);
    void replay.finally(() => this.replays.delete(replay));
    return { close };
  }

  /** Stops listening and polling; events already being delivered finish first; replays in progress end with onError. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.horizonTimer);
    await Promise.all([this.reading, ...this.replays]);
    this.live.clear();
    await this.listener.stop();
  }

  /**
   * Reads the subscriber's events after `from` from the table, then makes it live. It may join
   * only when the live cursor is below the horizon of its last read: every event the live side
   * already handed out is then below that horizon, so the replay read it (or filtered it out),
   * and every later one the live side hands out next. Events the replay delivered that the live
   * side has not reached yet are dropped when they come (Subscriber.after). If the live side read
   * past that horizon meanwhile, the replay simply reads once more.
   */
  private async replay(subscriber: Subscriber, from: string): Promise<void> {
    let after = parsePosition(from, "from");
    if ((after.txid !== 0n || after.id !== 0n) && !(await isEventPosition(this.prisma, after))) {
      throw new DomainError("ValidationFailed", `"${from}" is not a position of this feed.`, [
        { detail: "not a position handed out with an event here, or older than the oldest event kept", parameter: "from" },
      ]);
    }
    subscriber.after = after;
    for (;;) {
      if (this.stopped) throw new DomainError("Unavailable", "The event feed stopped.");
      const page = await readPage(this.prisma, after, { limit: this.batchSize, filter: subscriber.filter });
      if (subscriber.closed) return;
      for (const event of page.events) subscriber.deliver(event);
      // Rows this build cannot read are passed here as the live side passes them (and logs them).
      after = page.through ?? after;
      if (rowsRead(page) === this.batchSize) continue;
      if (this.cursor.txid < page.horizon && !this.stopped) {
        // Synchronous from this check to goLive: no live delivery can come in between.
        this.live.add(subscriber);
        subscriber.goLive();
        return;
      }
    }
  }

  /** Reads until caught up; wake-ups during a read coalesce into one more read. */
  private wake(): void {
    if (this.stopped) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = this.drain()
      .catch((error) => this.logger.error({ err: error }, "event feed read failed; retrying on next wake"))
      .finally(() => {
        this.reading = undefined;
        if (this.readAgain && !this.stopped) {
          this.readAgain = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const page = await readPage(this.prisma, this.cursor, { limit: this.batchSize });
      for (const event of page.events) for (const subscriber of this.live) subscriber.deliver(event);
      for (const unreadable of page.unreadable) this.logUnreadable(unreadable);
      this.cursor = page.through ?? this.cursor;
      if (this.stopped) return;
      if (rowsRead(page) < this.batchSize) {
        // A NOTIFY can arrive while an older transaction still holds the horizon back; nothing
        // else would wake us for those events before the next poll, so look again shortly.
        if (await eventsPending(this.prisma, this.cursor)) this.retrySoon();
        else this.horizonRetryMs = minHorizonRetryMs;
        return;
      }
    }
  }

  /**
   * An event this build cannot read (a type from a newer release, during a rolling deploy; data
   * that breaks its schema) is passed, once per process, with an error naming it: stopping at it
   * would halt every subscriber of this instance behind one row, retried for ever. Its subscribers
   * miss that one event; the log keeps it for a release that can read it.
   */
  private logUnreadable({ position, type, error }: UnreadableEvent): void {
    this.logger.error({ position: formatPosition(position), type, err: error }, "event feed passed an event it cannot read");
  }

  private retrySoon(): void {
    clearTimeout(this.horizonTimer);
    this.horizonTimer = setTimeout(() => this.wake(), this.horizonRetryMs);
    this.horizonTimer.unref();
    this.horizonRetryMs = Math.min(this.horizonRetryMs * 2, maxHorizonRetryMs, this.pollIntervalMs);
  }
}
