// What the API page shows: every call the API module made, with the version headers it used.

export type LoggedRequest = {
  id: number;
  at: string;
  method: string;
  /** Path and query, on this origin or another. */
  url: string;
  /** The operation's own name (REST operation, GraphQL operation name). */
  operation: string;
  status: number | "network error";
  durationMs: number;
  /** The request's `Accept`: which API version was asked for. */
  accept: string | null;
  /** The answer's `Content-Type`: which version answered. */
  contentType: string | null;
  /** Set on answers of a deprecated version (v1): RFC 9745 `Deprecation`, RFC 8594 `Sunset`. */
  deprecation: string | null;
  sunset: string | null;
  requestId: string | null;
};

type Listener = () => void;

/** A bounded, observable list of the latest calls (newest first), for `useSyncExternalStore`. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private readonly listeners = new Set<Listener>();
  private nextId = 1;

  constructor(private readonly capacity = 50) {}

  /** Records one finished call. */
  add(entry: Omit<LoggedRequest, "id">): void {
    this.entries = [{ ...entry, id: this.nextId++ }, ...this.entries].slice(0, this.capacity);
    for (const listener of this.listeners) listener();
  }

  /** The latest calls, newest first (the same array until something is added). */
  snapshot = (): readonly LoggedRequest[] => this.entries;

  /** Calls `listener` after every addition; returns the unsubscribe function. */
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
}
