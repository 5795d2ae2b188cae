import { WebSocket } from "ws";

/** A frame as the server sends it. */
export type Frame = { type: string; [key: string]: unknown };

/**
 * A real `ws` client that keeps every frame it receives and can wait for one. `closed` resolves
 * with the close code and reason; `refused` with the HTTP status when the upgrade was answered instead.
 */
export class TestSocket {
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  readonly opened: Promise<void>;
  /** The HTTP status of a refused upgrade, once known. */
  refusedStatus: number | undefined;
  private waiters: { match: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  constructor(url: string, options: { token?: string; origin?: string; protocols?: string[]; autoPong?: boolean } = {}) {
    const protocols = options.protocols ?? (options.token ? ["bearer", options.token] : []);
    this.ws = new WebSocket(url, protocols, {
      headers: options.origin ? { Origin: options.origin } : {},
      autoPong: options.autoPong ?? true,
    });
    this.ws.on("message", (data) => {
      const frame = JSON.parse(String(data)) as Frame;
      this.frames.push(frame);
      for (const waiter of this.waiters.filter((w) => w.match(frame))) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) => this.ws.on("close", (code, reason) => resolve({ code, reason: String(reason) })));
    this.opened = new Promise((resolve, reject) => {
      this.ws.once("open", () => resolve());
      this.ws.once("unexpected-response", (_req, res) => {
        this.refusedStatus = res.statusCode;
        reject(new Error(`upgrade refused with ${res.statusCode}`));
      });
      this.ws.once("error", reject);
    });
    this.opened.catch(() => {});
  }

  readonly ws: WebSocket;

  send(frame: unknown): void {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) that `match` accepts; fails after `timeoutMs`. */
  next(match: (f: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      this.waiters.push({
        match,
        resolve: (frame) => {
          clearTimeout(timer);
          resolve(frame);
        },
      });
    });
  }

  /** Event frames of `topic`, in arrival order. */
  events(topic: string): Frame[] {
    return this.frames.filter((f) => f.type === "event" && f.topic === topic);
  }

  close(): void {
    this.ws.close();
  }
}

/** The ws:// URL of `path` on a server listening at `httpUrl`. */
export const wsUrl = (httpUrl: string, path: string) => `${httpUrl.replace(/^http/, "ws")}${path}`;

/** Opens a socket and waits until it is open. */
export async function openSocket(url: string, options: ConstructorParameters<typeof TestSocket>[1] = {}): Promise<TestSocket> {
  const socket = new TestSocket(url, options);
  await socket.opened;
  return socket;
}
