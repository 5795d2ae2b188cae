// Answers of public catalog reads (REST's and GraphQL's), kept in memory until the data they were
// read from changes.
//
// Why it is safe to serve them: every write to a catalog table announces itself on commit
// (the triggers of migration 20261125070000_catalog_change_notifications, whoever writes), and
// this process drops every entry when an announcement arrives. Writes made through this process
// also drop them before their answer leaves, so a client always reads its own writes. A read
// that overlapped a change is not kept (generations), and nothing is kept while the LISTEN
// connection is down, since announcements are lost then. Writes by other processes are seen
// once their announcement arrives (milliseconds), as with any read replica.
import type { Response } from "express";
import { LRUCache } from "lru-cache";
import { NotificationListener } from "../db/notifications.js";
import type { Logger } from "../logger.js";

/** The channel the catalog triggers announce changes on (payload: table name). */
export const changesChannel = "stockroom_changes";

/** A kept answer: the JSON bytes sent, and the headers that go with it. */
export type CachedAnswer = { body: Buffer; headers: Record<string, string> };

/** Sends a kept answer as it was first sent: its headers set as they are (res.set would parse the Content-Type again). */
export function sendKept(res: Response, answer: CachedAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
  res.send(answer.body);
}

export type ResponseCacheOptions = {
  /** How many answers to keep (least recently used go first); 0 turns the cache off. */
  maxEntries: number;
  /** Upper bound on any entry's age, a safety net should an announcement ever go missing. */
  maxAgeMs?: number;
};

const maxBytes = 64 * 1024 * 1024;

/** Public answers kept until a catalog change; see the module comment for why they stay correct. */
export class ResponseCache {
  private readonly entries: LRUCache<string, CachedAnswer> | undefined;
  private generation = 0;
  private live = false;
  private listener: NotificationListener | undefined;

  constructor(options: ResponseCacheOptions) {
    this.entries =
      options.maxEntries > 0
        ? new LRUCache({
            max: options.maxEntries,
            maxSize: maxBytes,
            sizeCalculation: (answer) => answer.body.length + 200,
            ttl: options.maxAgeMs ?? 10_000,
          })
        : undefined;
  }

  /** Follows catalog changes on a LISTEN connection of its own; until then nothing is kept. */
  async follow(databaseUrl: string, logger: Logger): Promise<void> {
    if (!this.entries) return;
    this.listener = new NotificationListener(
      databaseUrl,
      changesChannel,
      {
        onNotification: () => this.invalidate(),
        onListening: () => {
          this.invalidate();
          this.live = true;
        },
        onLost: () => {
          this.live = false;
          this.invalidate();
        },
      },
      logger,
    );
    await this.listener.start();
  }

  async close(): Promise<void> {
    this.live = false;
    this.invalidate();
    await this.listener?.stop();
  }

  /** Whether answers are kept at all (RESPONSE_CACHE_ENTRIES > 0). */
  get enabled(): boolean {
    return this.entries !== undefined;
  }

  /** The kept answer for `key`, if there is one. */
  get(key: string): CachedAnswer | undefined {
    return this.live ? this.entries?.get(key) : undefined;
  }

  /** Call before reading: the token to keep the result with. */
  startRead(): number {
    return this.generation;
  }

  /** Keeps an answer, unless the catalog changed since its read started (`token`). */
  keep(key: string, token: number, answer: CachedAnswer): void {
    if (this.live && token === this.generation) this.entries?.set(key, answer);
  }

  /** Drops every kept answer: the catalog changed (or may have). */
  invalidate(): void {
    this.generation++;
    this.entries?.clear();
  }
}
