// The WebSocket transport on the app's own http.Server: routes upgrades by path, checks Origin,
// credentials and socket limits before accepting, keeps a heartbeat, and closes every socket with
// 1001 on shutdown once the comments in flight are answered.
//
// Tokens: a browser cannot set Authorization on a WebSocket, so the token comes as the subprotocol
// pair `bearer, <token>` (the server selects `bearer`, never echoing the token) or in an auth frame.
// Neither puts it in a URL, so it never reaches a log line.
import type http from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { AccessTokenVerifier } from "../auth/verifier.js";
import type { RealtimeLimits } from "../config.js";
import { DomainError, errorCatalog } from "../errors.js";
import type { Logger } from "../logger.js";
import type { Modules } from "../modules/index.js";
import { Connection, type Credentials, credentialsOf } from "./connection.js";
import type { TopicHub } from "./hub.js";
import { closeCodes, errorFrame } from "./protocol.js";
import { topicName } from "./topics.js";

/** Another protocol on the same server (GraphQL over graphql-ws at /graphql). */
export type UpgradeHandler = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => void;

export type RealtimeOptions = {
  hub: TopicHub;
  modules: Pick<Modules, "blog">;
  verify: AccessTokenVerifier;
  limits: RealtimeLimits;
  logger: Logger;
  trustProxy: boolean;
  /** Upgrades of other paths, by path. */
  otherPaths?: Record<string, UpgradeHandler>;
};

const conveniencePath = /^\/ws\/(posts|products)\/([1-9][0-9]{0,9})\/(comments|inventory)$/;

/** The topic a convenience path subscribes to on connect, or undefined for a path that is none. */
function topicOfPath(pathname: string): string | undefined {
  const match = conveniencePath.exec(pathname);
  if (!match) return undefined;
  const [, collection, id, feed] = match;
  if (collection === "posts" && feed === "comments") return topicName.postComments(Number(id));
  if (collection === "products" && feed === "inventory") return topicName.productInventory(Number(id));
  return undefined;
}

// RFC 6455 §4.2.2: refuse before the handshake with an HTTP answer (problem+json).
function refuse(socket: Duplex, error: DomainError): void {
  const { status, title } = errorCatalog[error.code];
  const body = JSON.stringify({ type: "about:blank", title, status, detail: error.message, code: error.code });
  const challenge = error.challenge ? `WWW-Authenticate: ${error.challenge}\r\n` : "";
  socket.end(
    `HTTP/1.1 ${status} ${title}\r\nConnection: close\r\nContent-Type: application/problem+json\r\n${challenge}` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

/** The bearer token offered as the subprotocol pair `bearer, <token>`, if any. */
function tokenOfProtocols(header: string | undefined): string | undefined {
  const offered = (header ?? "").split(",").map((p) => p.trim());
  const at = offered.indexOf("bearer");
  return at >= 0 ? offered[at + 1] || undefined : undefined;
}

function destroyOnError(this: Duplex): void {
  this.destroy();
}

/** Counts open sockets per key (address, token) against a bound. */
class SocketCounter {
  private readonly counts = new Map<string, number>();
  constructor(readonly limit: number) {}
  full(key: string): boolean {
    return (this.counts.get(key) ?? 0) >= this.limit;
  }
  add(key: string): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  remove(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count > 0) this.counts.set(key, count);
    else this.counts.delete(key);
  }
}

/** Attaches the WebSocket transport to `server`; returns how to shut it down. */
export function attachRealtime(server: http.Server, options: RealtimeOptions) {
  const { limits, logger } = options;
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: limits.maxFrameBytes,
    // Off (ws's default, kept explicit): event frames are prebuilt, uncompressed (Connection.sendFramed).
    perMessageDeflate: false,
    handleProtocols: (protocols) => (protocols.has("bearer") ? "bearer" : false),
  });
  const connections = new Set<Connection>();
  const perAddress = new SocketCounter(limits.maxSocketsPerAddress);
  const perToken = new SocketCounter(limits.maxSocketsPerToken);
  let accepting = true;

  const addressOf = (req: http.IncomingMessage) => {
    const forwarded = options.trustProxy ? req.headers["x-forwarded-for"] : undefined;
    const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
    return first || req.socket.remoteAddress || "unknown";
  };

  const context = {
    hub: options.hub,
    blog: options.modules.blog,
    verify: options.verify,
    limits,
    logger,
    onCredentials(connection: Connection, previous: Credentials | undefined) {
      // A renewed token takes the socket's place under its new token; the count stays per socket.
      if (previous) perToken.remove(previous.token);
      if (connection.credentials) perToken.add(connection.credentials.token);
    },
    onClosed(connection: Connection) {
      connections.delete(connection);
      perAddress.remove(connection.address);
      if (connection.credentials) perToken.remove(connection.credentials.token);
    },
  };

  // Only what a socket needs later is kept past the upgrade (its topic and since, not the URL or request).
  async function accept(req: http.IncomingMessage, socket: Duplex, head: Buffer, url: URL) {
    const topic = topicOfPath(url.pathname);
    const since = url.searchParams.get("since") ?? undefined;
    const origin = req.headers.origin;
    if (origin !== undefined && !limits.allowedOrigins.includes(origin)) {
      return refuse(socket, new DomainError("Forbidden", `Sockets from origin ${origin} are not allowed.`));
    }
    const address = addressOf(req);
    if (perAddress.full(address)) {
      return refuse(socket, new DomainError("RateLimited", `At most ${perAddress.limit} sockets per address.`));
    }
    let credentials: Credentials | undefined;
    const token = tokenOfProtocols(req.headers["sec-websocket-protocol"]);
    if (token !== undefined) {
      try {
        credentials = await credentialsOf(options.verify, token);
      } catch (error) {
        return refuse(socket, error instanceof DomainError ? error : new DomainError("Unauthenticated", "Bad token."));
      }
      if (perToken.full(token)) {
        return refuse(socket, new DomainError("RateLimited", `At most ${perToken.limit} sockets per access token.`));
      }
    }
    if (!accepting || socket.destroyed) return refuse(socket, new DomainError("Unavailable", "The server is shutting down."));
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off("error", destroyOnError); // ws handles the socket's errors from here on
      const connection = new Connection(ws, socket, address, context, credentials);
      connections.add(connection);
      perAddress.add(address);
      if (credentials) perToken.add(credentials.token);
      if (topic === undefined) return;
      connection.subscribe(topic, since).catch((error) => {
        if (error instanceof DomainError && error.code === "NotFound")
          return connection.close(closeCodes.notFound, error.message);
        connection.send(JSON.stringify(errorFrame(error, { topic })));
      });
    });
  }

  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", destroyOnError);
    const url = new URL(req.url ?? "/", "http://localhost");
    const other = options.otherPaths?.[url.pathname];
    if (other) return other(req, socket, head);
    if (url.pathname !== "/ws" && topicOfPath(url.pathname) === undefined) {
      return refuse(socket, new DomainError("NotFound", `No WebSocket endpoint at ${url.pathname}.`));
    }
    accept(req, socket, head, url).catch((error) => {
      logger.error({ err: error }, "WebSocket upgrade failed");
      refuse(socket, new DomainError("Internal", errorCatalog.Internal.title));
    });
  };
  server.on("upgrade", onUpgrade);

  // Each beat terminates the sockets that did not answer the previous one, then pings the rest.
  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, limits.heartbeatMs);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  async function shutDown(timeoutMs: number): Promise<void> {
    accepting = false;
    clearInterval(heartbeat);
    server.off("upgrade", onUpgrade);
    const open = [...connections];
    const gone = Promise.all(open.map((c) => new Promise<void>((resolve) => c.socket.once("close", () => resolve()))));
    await Promise.all(open.map((c) => c.shutdown()));
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([gone, deadline]);
    for (const c of connections) c.socket.terminate();
    wss.close();
  }

  return {
    /** Open sockets, for metrics and tests. */
    get connectionCount() {
      return connections.size;
    },
    /** Refuses new sockets, answers the comments in flight, closes every socket with 1001, and waits (bounded) for them to go. */
    close(timeoutMs = 5000): Promise<void> {
      closing ??= shutDown(timeoutMs);
      return closing;
    },
  };
}

export type Realtime = ReturnType<typeof attachRealtime>;
