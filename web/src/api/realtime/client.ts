import type { TokenSource } from "../http";
import { backoffDelay } from "./backoff";
import type { AckFrame, ConnectionStatus, ErrorFrame, EventFrame, ServerFrame, TopicWatcher } from "./frames";
import { Heartbeat } from "./heartbeat";
import { PendingComments } from "./pending-comments";

// The client of Stockroom's WebSocket protocol (`/ws`, multiplexed; see the README and the
// AsyncAPI document at /docs/realtime). One socket for the whole app. It keeps, per topic, the
// position of the last event it handed on, and after any drop reconnects with backoff and
// subscribes again with `since` = that position: the server replays what was missed, then says
// `live`, so nothing is missed or doubled. A topic that has seen no event yet has no position to
// resume from: its watcher is told to reload its data once the topic is live again (`onResync`).

type TopicState = {
  watchers: Set<TopicWatcher>;
  /** Of the last event handed on: where a new subscription resumes. */
  position?: string;
  live: boolean;
  /** Subscribed on some connection before (a new subscription without a position may have missed events). */
  subscribed: boolean;
  /** The current subscription could not resume: tell the watchers to reload once it is live. */
  resync: boolean;
};

export type RealtimeOptions = {
  /** ws:// or wss:// URL of `/ws`. */
  url: string;
  tokens?: TokenSource;
  WebSocket?: typeof WebSocket;
  /** Backoff between reconnection attempts: first delay and cap, in ms. */
  backoff?: { initialMs: number; maxMs: number };
  /** A ping after this long without a frame; no frame within the same time again means the connection is dead. */
  heartbeatMs?: number;
};

/** One multiplexed socket with resume; observable status. */
export class RealtimeClient {
  private socket: WebSocket | undefined;
  private readonly topics = new Map<string, TopicState>();
  private readonly pending = new PendingComments();
  private readonly statusListeners = new Set<() => void>();
  private state: ConnectionStatus = "connecting";
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly heartbeat: Heartbeat;
  private sentToken: string | undefined;
  private stopped = false;
  private hasBeenLive = false;
  /** The browser said it is offline: no attempts (each would fail, and log) until it is back. */
  private offline = false;

  constructor(private readonly options: RealtimeOptions) {
    this.heartbeat = new Heartbeat(
      options.heartbeatMs ?? 20_000,
      () => this.sendNow({ type: "ping" }),
      () => this.socket?.close(),
    );
  }

  status = (): ConnectionStatus => this.state;

  onStatus = (listener: () => void) => {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  };

  /** Watches `topic` until the returned function is called; connects on first use. */
  watch(topic: string, watcher: TopicWatcher): () => void {
    let state = this.topics.get(topic);
    if (!state) {
      state = { watchers: new Set(), live: false, subscribed: false, resync: false };
      this.topics.set(topic, state);
      this.subscribe(topic, state);
    } else if (state.live) {
      watcher.onLive?.();
    }
    state.watchers.add(watcher);
    this.ensureConnected();
    return () => {
      state.watchers.delete(watcher);
      if (state.watchers.size > 0 || this.topics.get(topic) !== state) return;
      this.topics.delete(topic);
      this.sendNow({ type: "unsubscribe", topic });
      this.updateStatus();
    };
  }

  /** Posts a comment over the socket; resolves with the ack. `clientId` makes a resend after a reconnect harmless. */
  postComment(postId: number, text: string, clientId: string): Promise<AckFrame> {
    const frame = JSON.stringify({ type: "comment", postId, text, clientId });
    const answered = this.pending.add(clientId, frame);
    this.ensureConnected();
    if (this.isOpen()) {
      this.authenticateIfNeeded();
      this.socket?.send(frame);
    }
    return answered;
  }

  /** Sends the current token on the open socket (after sign-in or renewal). */
  refreshToken(): void {
    if (this.isOpen()) this.authenticateIfNeeded();
  }

  /** Closes the socket now and reconnects at once (the browser came back online). */
  reconnectNow(): void {
    if (this.stopped) return;
    this.offline = false;
    this.attempt = 0;
    clearTimeout(this.retryTimer);
    if (this.isOpen()) return;
    this.socket?.close();
    this.connect();
  }

  /** Drops the connection as a lost network would (the browser went offline); reconnects on `reconnectNow`. */
  connectionLost(): void {
    this.offline = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.socket?.close();
  }

  /** Closes for good. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.heartbeat.stop();
    this.socket?.close(1000, "bye");
  }

  /** Handles one frame from the server (the socket's message handler; exposed for contract tests). */
  receive(text: string): void {
    this.heartbeat.arm();
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case "event":
        this.deliver(frame);
        return;
      case "live": {
        const state = this.topics.get(frame.topic);
        if (!state) return;
        state.live = true;
        const resync = state.resync;
        state.resync = false;
        for (const watcher of state.watchers) {
          watcher.onLive?.();
          if (resync) watcher.onResync?.();
        }
        this.attempt = 0;
        this.updateStatus();
        return;
      }
      case "ack": {
        this.pending.acknowledge(frame);
        return;
      }
      case "error":
        this.fail(frame);
        return;
      default:
        return;
    }
  }

  private deliver(frame: EventFrame) {
    const state = this.topics.get(frame.topic);
    if (!state) return;
    // Positions are opaque: the server guarantees each event once per subscription, in feed order.
    state.position = frame.position;
    for (const watcher of state.watchers) watcher.onEvent(frame);
  }

  private fail(frame: ErrorFrame) {
    if (frame.clientId) {
      this.pending.refuse({ ...frame, clientId: frame.clientId });
      return;
    }
    if (frame.topic) {
      const state = this.topics.get(frame.topic);
      if (!state) return;
      // A position the server no longer keeps (or rejects): start over from "now" and reload.
      if (state.position && frame.errors?.some((e) => "parameter" in e && e.parameter === "since")) {
        state.position = undefined;
        this.subscribe(frame.topic, state);
        return;
      }
      // Refused (no such post or product, too many topics): nothing will come, so it no longer holds the status back.
      this.topics.delete(frame.topic);
      for (const watcher of state.watchers) watcher.onError?.(frame);
      this.updateStatus();
    }
  }

  private ensureConnected() {
    if (!this.socket && !this.retryTimer && !this.stopped && !this.offline) this.connect();
  }

  private connect() {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const Impl = this.options.WebSocket ?? WebSocket;
    const socket = new Impl(this.options.url);
    this.socket = socket;
    this.sentToken = undefined;
    socket.onopen = () => {
      this.authenticateIfNeeded();
      for (const [topic, state] of this.topics) this.subscribe(topic, state);
      for (const frame of this.pending.frames()) socket.send(frame);
      this.heartbeat.arm();
      this.updateStatus();
    };
    socket.onmessage = (event) => {
      if (typeof event.data === "string") this.receive(event.data);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.heartbeat.stop();
      for (const state of this.topics.values()) state.live = false;
      if (this.stopped) return;
      // 4401: the token expired or was refused; get a fresh one before the next attempt sends it.
      if (event.code === 4401) void this.options.tokens?.renew();
      if (this.offline) {
        this.attempt = Math.max(this.attempt, 1);
        this.updateStatus();
        return;
      }
      const { initialMs, maxMs } = this.options.backoff ?? { initialMs: 500, maxMs: 10_000 };
      this.retryTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++, initialMs, maxMs));
      this.updateStatus();
    };
    // An error is followed by close, which schedules the retry.
    socket.onerror = () => undefined;
  }

  // Called for each topic when the socket opens, and for a new topic on an open socket.
  private subscribe(topic: string, state: TopicState) {
    if (!this.isOpen()) return;
    state.live = false;
    state.resync = state.subscribed && state.position === undefined;
    state.subscribed = true;
    this.sendNow({ type: "subscribe", topic, ...(state.position ? { since: state.position } : {}) });
    this.updateStatus();
  }

  private authenticateIfNeeded() {
    const token = this.options.tokens?.current();
    if (!token || token === this.sentToken) return;
    this.sentToken = token;
    this.socket?.send(JSON.stringify({ type: "auth", token }));
  }

  private sendNow(frame: object) {
    if (this.isOpen()) this.socket?.send(JSON.stringify(frame));
  }

  private isOpen() {
    return this.socket?.readyState === 1;
  }

  private updateStatus() {
    const allLive = [...this.topics.values()].every((state) => state.live);
    const next: ConnectionStatus =
      this.isOpen() && allLive ? "live" : this.hasBeenLive || this.attempt > 0 ? "reconnecting" : "connecting";
    if (next === "live") this.hasBeenLive = true;
    if (next === this.state) return;
    this.state = next;
    this.notify();
  }

  private notify() {
    for (const listener of this.statusListeners) listener();
  }
}
