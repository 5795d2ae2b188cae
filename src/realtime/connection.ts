// One client socket: its credentials, its topic subscriptions, the frames it sends, and the
// bound on what the server has queued for it.

import type { Duplex } from "node:stream";
import { decodeJwt } from "jose";
import type { RawData, WebSocket } from "ws";
import type { Actor } from "../auth/actor.js";
import type { AccessTokenVerifier } from "../auth/verifier.js";
import type { RealtimeLimits } from "../config.js";
import { DomainError } from "../errors.js";
import type { Logger } from "../logger.js";
import { commentInput } from "../modules/blog/schemas.js";
import type { Modules } from "../modules/index.js";
import { parseInput } from "../rest/validate.js";
import { corkForThisTick } from "./cork.js";
import type { TopicEvent, TopicHandlers, TopicHub, TopicSubscription } from "./hub.js";
import { type ClientFrame, closeCodes, errorFrame, parseClientFrame } from "./protocol.js";

/** A verified token and when it stops being valid. */
export type Credentials = { actor: Actor; token: string; expiresAt: Date };

/** Verifies `token` with the one verifier and reads its expiry; throws the verifier's 401 DomainError. */
export async function credentialsOf(verify: AccessTokenVerifier, token: string): Promise<Credentials> {
  const actor = await verify(token);
  const exp = decodeJwt(token).exp;
  return { actor, token, expiresAt: new Date((exp ?? 0) * 1000) };
}

export type ConnectionContext = {
  hub: TopicHub;
  blog: Modules["blog"];
  verify: AccessTokenVerifier;
  limits: RealtimeLimits;
  logger: Logger;
  /** Called when a socket's token changes (per-token socket counts). */
  onCredentials(connection: Connection, previous: Credentials | undefined): void;
  /** Called once when the socket has closed. */
  onClosed(connection: Connection): void;
};

const socketNeedsToken = new DomainError(
  "Unauthenticated",
  'This needs an access token: offer the subprotocol pair "bearer, <token>" when connecting, or send {"type":"auth","token":"<token>"} first.',
);

// Listeners shared by every socket, rather than closures per socket: each finds its connection here.
const connectionOf = new WeakMap<WebSocket, Connection>();

function onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  connectionOf.get(this)?.received(data, isBinary);
}

function onProtocolError(this: WebSocket, error: Error): void {
  connectionOf.get(this)?.protocolError(error);
}

function onPong(this: WebSocket): void {
  const connection = connectionOf.get(this);
  if (connection) connection.alive = true;
}

function onClose(this: WebSocket): void {
  connectionOf.get(this)?.closed();
}

/** The server side of one socket. */
export class Connection {
  private readonly subscriptions = new Map<string, TopicSubscription>();
  /** Comments being answered (created with the first one): shutdown waits for them. */
  private inFlight: Set<Promise<void>> | undefined;
  private invalidFrames = 0;
  private expiryTimer: NodeJS.Timeout | undefined;
  private closing = false;
  /** Answered the last heartbeat ping. */
  alive = true;

  constructor(
    readonly socket: WebSocket,
    /** The TCP socket under `socket`, corked while a batch of frames is written. */
    private readonly transport: Duplex,
    /** The peer's address, as the per-address socket count knows it. */
    readonly address: string,
    private readonly context: ConnectionContext,
    public credentials: Credentials | undefined,
  ) {
    this.armExpiry();
    connectionOf.set(socket, this);
    socket.on("message", onMessage);
    socket.on("error", onProtocolError);
    socket.on("pong", onPong);
    socket.on("close", onClose);
  }

  /** A frame from the peer (ws's "message"). */
  received(data: RawData, isBinary: boolean): void {
    if (isBinary) this.refuse(new DomainError("UnsupportedMediaType", "Frames are JSON text, not binary."));
    else void this.receive(String(data));
  }

  /** ws reports protocol errors (a frame over maxPayload, bad UTF-8) here, then closes with their code. */
  protocolError(error: Error): void {
    this.context.logger.debug({ err: error }, "socket protocol error");
  }

  /** The socket has closed (ws's "close"). */
  closed(): void {
    this.release();
    this.context.onClosed(this);
  }

  /** Subscribes to `topicName` as a subscribe frame would. */
  async subscribe(topicName: string, since: string | undefined): Promise<void> {
    if (!this.subscriptions.has(topicName) && this.subscriptions.size >= this.context.limits.maxSubscriptions) {
      throw new DomainError(
        "LimitExceeded",
        `A socket may watch at most ${this.context.limits.maxSubscriptions} topics; unsubscribe from one first.`,
      );
    }
    const topic = await this.context.hub.resolve(topicName);
    if (this.closing) return;
    // Subscribing again (e.g. to resume with another `since`) replaces the subscription.
    this.subscriptions.get(topicName)?.close();
    // The resolved topic's name is one string shared by every socket watching it.
    this.subscriptions.set(topic.name, this.context.hub.subscribe(topic, { since }, new TopicListener(this, topic.name)));
  }

  /** Sends a close frame once every comment in flight has been answered. */
  async shutdown(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...(this.inFlight ?? [])]);
    this.close(closeCodes.goingAway, "server shutting down");
  }

  /** Closes the socket with `code` (a close frame, then the TCP connection once the peer answers). */
  close(code: number, reason: string): void {
    this.release();
    this.socket.close(code, reason);
  }

  /** Sends a text frame unless the socket's queue is over its bound, in which case it is closed with 1013. */
  send(text: string): void {
    if (this.mayQueue()) this.socket.send(text);
  }

  /**
   * Writes `frame`, a complete text frame (textFrame: the hub builds one per topic event), straight
   * to the TCP socket, as send would but without framing it again for each socket. It lands in
   * order among ws's own writes, which ws makes synchronously since it compresses nothing here.
   */
  sendFramed(frame: Buffer): void {
    if (this.mayQueue()) this.transport.write(frame);
  }

  // Open and within its bound (else closed with 1013); corked for the rest of this tick's batch.
  private mayQueue(): boolean {
    if (this.socket.readyState !== this.socket.OPEN) return false;
    if (this.socket.bufferedAmount > this.context.limits.maxBufferedBytes) {
      this.context.logger.warn({ buffered: this.socket.bufferedAmount }, "socket fell behind; closing it with 1013");
      this.close(closeCodes.tryAgainLater, "too far behind; reconnect and resume with since");
      return false;
    }
    // A batch flushes early well below the bound, so that only a reader that is behind reaches it.
    corkForThisTick(this.transport, Math.min(65_536, this.context.limits.maxBufferedBytes / 4));
    return true;
  }

  /** Ends the subscription to `topicName` the hub gave up (`since` unusable, the feed stopped), saying why. */
  subscriptionFailed(topicName: string, error: unknown): void {
    this.subscriptions.delete(topicName);
    this.sendFrame(errorFrame(error, { topic: topicName }));
  }

  private sendFrame(frame: object): void {
    this.send(JSON.stringify(frame));
  }

  private async receive(data: string): Promise<void> {
    let frame: ClientFrame;
    try {
      frame = parseClientFrame(data);
    } catch (error) {
      return this.refuse(error);
    }
    const work = this.handle(frame);
    this.inFlight ??= new Set();
    this.inFlight.add(work);
    await work;
    this.inFlight.delete(work);
  }

  private async handle(frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case "ping":
        return this.sendFrame({ type: "pong" });
      case "subscribe":
        return this.subscribe(frame.topic, frame.since).catch((error) => this.reportError(error, { topic: frame.topic }));
      case "unsubscribe":
        this.subscriptions.get(frame.topic)?.close();
        this.subscriptions.delete(frame.topic);
        return this.sendFrame({ type: "unsubscribed", topic: frame.topic });
      case "auth":
        return this.authenticate(frame.token);
      case "comment":
        return this.postComment(frame);
    }
  }

  private async authenticate(token: string): Promise<void> {
    let credentials: Credentials;
    try {
      credentials = await credentialsOf(this.context.verify, token);
    } catch (error) {
      const detail = error instanceof DomainError ? error.message : "The access token could not be verified.";
      return this.close(closeCodes.unauthenticated, detail.slice(0, 120));
    }
    const previous = this.credentials;
    this.credentials = credentials;
    this.context.onCredentials(this, previous);
    this.armExpiry();
    this.sendFrame({ type: "authenticated", expiresAt: credentials.expiresAt.toISOString() });
  }

  // The comment reaches subscribers (this socket's too) through the event feed, never from here.
  private async postComment(frame: Extract<ClientFrame, { type: "comment" }>): Promise<void> {
    const { clientId } = frame;
    try {
      if (this.closing) throw new DomainError("Unavailable", "The server is shutting down; send it again after reconnecting.");
      const input = parseInput(commentInput, { text: frame.text }, "body");
      const comment = await this.context.blog.commands.addComment(this.credentials?.actor, frame.postId, input.text, {
        idempotencyKey: clientId,
      });
      this.sendFrame({ type: "ack", clientId, commentId: comment.id, position: comment.position });
    } catch (error) {
      this.reportError(error, { clientId });
    }
  }

  private reportError(error: unknown, context: { topic?: string; clientId?: string }): void {
    if (!(error instanceof DomainError)) this.context.logger.error({ err: error }, "socket frame failed");
    // The core's missing-token detail tells an HTTP client to send a header, which a socket cannot.
    const missingToken = error instanceof DomainError && error.code === "Unauthenticated" && !this.credentials;
    this.sendFrame(errorFrame(missingToken ? socketNeedsToken : error, context));
  }

  // A frame the protocol does not allow: say why; a client that keeps doing it is cut off.
  private refuse(error: unknown): void {
    this.invalidFrames += 1;
    this.sendFrame(errorFrame(error));
    if (this.invalidFrames >= this.context.limits.maxInvalidFrames) {
      this.close(closeCodes.policyViolation, "too many invalid frames");
    }
  }

  private armExpiry(): void {
    clearTimeout(this.expiryTimer);
    if (!this.credentials) return;
    const left = this.credentials.expiresAt.getTime() - Date.now();
    this.expiryTimer = setTimeout(
      () => this.close(closeCodes.unauthenticated, "access token expired; send a new one with an auth frame"),
      Math.max(0, Math.min(left, 2 ** 31 - 1)),
    );
    this.expiryTimer.unref();
  }

  private release(): void {
    clearTimeout(this.expiryTimer);
    for (const subscription of this.subscriptions.values()) subscription.close();
    this.subscriptions.clear();
  }
}

/** What one subscription hands its socket: an object per subscription, its methods shared. */
class TopicListener implements TopicHandlers {
  constructor(
    private readonly connection: Connection,
    private readonly topic: string,
  ) {}

  onEvent(event: TopicEvent): void {
    this.connection.sendFramed(event.frame);
  }

  onLive(): void {
    this.connection.send(JSON.stringify({ type: "live", topic: this.topic }));
  }

  onError(error: unknown): void {
    this.connection.subscriptionFailed(this.topic, error);
  }
}
