import pg from "pg";
import type { Logger } from "../logger.js";

export type NotificationHandlers = {
  /** A NOTIFY on `channel` committed (payload as sent). */
  onNotification(payload: string): void;
  /** The LISTEN is in place (first time and after every reconnect): notifications may have been missed before it. */
  onListening(): void;
  /** The connection dropped: notifications are lost until onListening is called again. */
  onLost?(): void;
};

/**
 * A dedicated connection that LISTENs on one channel and reconnects when it drops. PostgreSQL
 * delivers a NOTIFY only on commit and only to connections listening at that moment, so
 * callers must treat onLost…onListening as a gap and catch up on their own (poll, drop caches).
 */
export class NotificationListener {
  private client: pg.Client | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly channel: string,
    private readonly handlers: NotificationHandlers,
    private readonly logger: Logger,
    private readonly reconnectDelayMs = 1000,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  }

  /** Connects and listens; rejects if this first connection fails (later drops reconnect on their own). */
  async start(): Promise<void> {
    await this.connect({ retry: false });
  }

  private async connect({ retry }: { retry: boolean }): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost || this.stopped) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (!retry) return;
      this.handlers.onLost?.();
      this.logger.warn({ err: error, channel: this.channel }, "lost a LISTEN connection; reconnecting");
      this.reconnectTimer = setTimeout(() => this.connect({ retry: true }).catch(() => undefined), this.reconnectDelayMs);
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (message) => this.handlers.onNotification(message.payload ?? ""));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      onLost(error as Error);
      throw error;
    }
    retry = true; // from now on a drop is a gap to report and repair
    this.handlers.onListening();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
