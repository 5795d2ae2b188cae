import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DiagnosticSeverity, Parser } from "@asyncapi/parser";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { errorCatalog } from "../../src/errors.js";
import type { FeedEvent } from "../../src/events/feed.js";
import { type EventType, eventRegistry } from "../../src/events/registry.js";
import { asyncApiPath } from "../../src/realtime/docs-route.js";
import { clientFrame, parseClientFrame } from "../../src/realtime/protocol.js";
import { topicNamesOf } from "../../src/realtime/topics.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { type Frame, openSocket, type TestSocket, wsUrl } from "../helpers/socket.js";
import { staffToken } from "../helpers/tokens.js";

// The AsyncAPI document of the WebSocket protocol (src/realtime/asyncapi.yaml, rendered at
// /docs/realtime) is valid, names every frame the protocol has, its examples are frames the
// server's own parsers accept, and the frames a real server sends match what it documents.

// The frames the protocol (issue 12, and the server: `unsubscribed`, `pong`, `authenticated`) defines.
const clientFrameTypes = ["subscribe", "unsubscribe", "ping", "auth", "comment"];
const serverFrameTypes = ["event", "live", "unsubscribed", "pong", "authenticated", "ack", "error"];

type Schema = { const?: unknown; enum?: unknown[]; properties?: Record<string, Schema>; allOf?: Schema[] };
type DocumentedMessage = { id: string; payload: Schema; examples: Frame[] };

const parsed = await new Parser().parse(await readFile(asyncApiPath, "utf8"));
const messages: DocumentedMessage[] = (parsed.document?.components().messages().all() ?? []).map((message) => ({
  id: message.id(),
  payload: message.payload()?.json() as Schema,
  examples: message
    .examples()
    .all()
    .map((example) => example.payload() as Frame),
}));

/** The values a schema allows for `property` (its const or enum, through allOf). */
function allowed(schema: Schema, property: string): unknown[] {
  const own = schema.properties?.[property];
  const here = own?.const !== undefined ? [own.const] : (own?.enum ?? []);
  return [...here, ...(schema.allOf ?? []).flatMap((part) => allowed(part, property))];
}

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validators = new Map<string, ValidateFunction>(messages.map((m) => [m.id, ajv.compile(m.payload)]));
/** The ids of the documented messages whose payload schema accepts `frame`. */
const documentedAs = (frame: unknown) => messages.filter((m) => validators.get(m.id)?.(frame)).map((m) => m.id);

describe("the AsyncAPI document", () => {
  it("is valid AsyncAPI 3.0 with neither errors nor warnings", () => {
    const problems = parsed.diagnostics.filter((d) => d.severity <= DiagnosticSeverity.Warning);
    expect(problems.map((d) => `${d.path.join(".")}: ${d.message}`)).toEqual([]);
    expect(parsed.document?.version()).toBe("3.0.0");
  });

  it("documents every frame type, every delivered event and every error code, on /ws and both convenience paths", () => {
    const documentedTypes = new Set(messages.flatMap((m) => allowed(m.payload, "type")));
    expect([...documentedTypes].sort()).toEqual([...clientFrameTypes, ...serverFrameTypes].sort());
    // The client frames are exactly those the server parses.
    expect(clientFrame.options.map((option) => option.shape.type.value).sort()).toEqual([...clientFrameTypes].sort());

    // Every event type some topic delivers (topicNamesOf is the server's fan-out).
    const delivered = (Object.keys(eventRegistry) as EventType[]).filter(
      (type) => topicNamesOf({ type, streamType: eventRegistry[type].stream, streamId: "1" } as FeedEvent).length > 0,
    );
    const documentedEvents = new Set(messages.flatMap((m) => allowed(m.payload, "event")));
    expect([...documentedEvents].sort()).toEqual(delivered.sort());

    const errorMessage = messages.find((m) => m.id === "error") as DocumentedMessage;
    const codes = new Set(Object.values(errorCatalog).map((spec) => spec.graphqlCode));
    expect(new Set(errorMessage.payload.properties?.code?.enum)).toEqual(codes);

    const addresses = parsed.document
      ?.channels()
      .all()
      .map((channel) => channel.address());
    expect(addresses?.sort()).toEqual(["/ws", "/ws/posts/{postId}/comments", "/ws/products/{productId}/inventory"]);
  });

  it("has examples for every frame, each valid against its own schema and accepted by the server's parsers", () => {
    for (const message of messages) {
      expect(message.examples.length, message.id).toBeGreaterThan(0);
      for (const example of message.examples) {
        expect(documentedAs(example), `${message.id}: ${JSON.stringify(example)}`).toContain(message.id);
        if (clientFrameTypes.includes(example.type)) expect(parseClientFrame(JSON.stringify(example))).toEqual(example);
        if (example.type === "event") {
          const type = example.event as EventType;
          // The data as the event's own schema (the one appends are checked against) has it.
          expect(eventRegistry[type].data.parse(example.data), message.id).toEqual(example.data);
        }
        if (example.type === "error") expect(Object.values(errorCatalog).map((s) => s.graphqlCode)).toContain(example.code);
      }
    }
  });
});

describe("frames of a real server, against the document", () => {
  let server: IdentityServer;
  let prisma: PrismaClient;
  let writer: string;
  let reader: string;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    const db = await createTestDatabase();
    server = await startIdentityServer(db.url);
    prisma = createPrismaClient(db.url, { poolSize: 2 });
    writer = await staffToken(server, "blog:write catalog:write inventory:write");
    reader = await staffToken(server, "blog:read");
  });
  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await server.stop();
    await prisma.$disconnect();
  });

  const open = async (path: string, token?: string) => {
    const socket = await openSocket(wsUrl(server.url, path), { token });
    sockets.push(socket);
    return socket;
  };
  const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${server.url}/api/v2${path}`, {
      method,
      headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}: ${res.status}`).toBeLessThan(300);
    return { body: res.status === 204 ? undefined : ((await res.json()) as { id: number }), etag: res.headers.get("etag") };
  };

  it("every frame the server sends is a documented message, and every documented server message is sent", async () => {
    const category = await prisma.category.findFirstOrThrow();
    const everything = await open("/ws", writer);
    for (const topic of ["inventory", "products"]) everything.send({ type: "subscribe", topic });
    await everything.next((f) => f.type === "live" && f.topic === "products");

    // Products: created, updated, deleted; its stock: all five movements, on the convenience path too.
    const created = await api("POST", "/products", {
      sku: "DOC-1",
      name: "Doc",
      price: { amount: 100, currency: "EUR" },
      categoryId: category.id,
    });
    const productId = created.body?.id as number;
    const stock = await open(`/ws/products/${productId}/inventory`);
    await stock.next((f) => f.type === "live");
    for (const movement of [
      { kind: "receive", quantity: 5 },
      { kind: "adjust", quantity: -1, reason: "dropped" },
      { kind: "reserve", quantity: 2 },
      { kind: "release", quantity: 1 },
      { kind: "ship", quantity: 1 },
    ]) {
      await api("POST", `/products/${productId}/stock/adjustments`, movement);
    }
    await stock.next((f) => f.event === "StockShipped");
    const updated = await api("PATCH", `/products/${productId}`, { name: "Doc 2" }, { "If-Match": created.etag ?? "" });
    await api("DELETE", `/products/${productId}`, undefined, { "If-Match": updated.etag ?? "" });
    await everything.next((f) => f.event === "ProductDeleted");

    // A post's comments: added over the socket (ack), deleted and the post deleted over REST.
    const post = await api("POST", "/posts", { title: "Doc", content: "Doc" });
    const postId = post.body?.id as number;
    const comments = await open(`/ws/posts/${postId}/comments`, writer);
    await comments.next((f) => f.type === "live");
    const clientId = randomUUID();
    comments.send({ type: "comment", postId, text: "Hello", clientId });
    const ack = await comments.next((f) => f.type === "ack");
    await comments.next((f) => f.event === "CommentAdded");
    await api("DELETE", `/posts/${postId}/comments/${ack.commentId}`);
    await api("DELETE", `/posts/${postId}`);
    await comments.next((f) => f.event === "PostDeleted");

    // The other answers and refusals.
    everything.send({ type: "ping" });
    everything.send({ type: "auth", token: writer });
    everything.send({ type: "unsubscribe", topic: "products" });
    everything.send({ type: "subscribe", topic: "weather" });
    everything.send({ type: "subscribe", topic: "inventory", since: "yesterday" });
    everything.send({ type: "subscribe", topic: "post:999999:comments" });
    everything.send("{not json");
    everything.send({ type: "dance" });
    everything.send({ type: "comment", postId, text: "  ", clientId: randomUUID() });
    await everything.next((f) => f.type === "error" && (f.errors as { field?: string }[])[0]?.field === "text");
    // The unknown post is looked up in the database: its refusal may come after the later frames'.
    await everything.next((f) => f.type === "error" && f.code === "NOT_FOUND");
    const anonymous = await open("/ws");
    anonymous.send({ type: "comment", postId, text: "Hi", clientId: randomUUID() });
    await anonymous.next((f) => f.type === "error");
    const watcher = await open("/ws", reader);
    watcher.send({ type: "comment", postId, text: "Hi", clientId: randomUUID() });
    await watcher.next((f) => f.type === "error");

    const frames = sockets.flatMap((socket) => socket.frames);
    const sent = new Set<string>();
    for (const frame of frames) {
      const ids = documentedAs(frame);
      expect(ids, JSON.stringify(frame)).not.toEqual([]);
      for (const id of ids) sent.add(id);
    }
    const serverMessages = messages.filter((m) => !clientFrameTypes.includes(m.examples[0]?.type as string)).map((m) => m.id);
    expect([...sent].sort()).toEqual(serverMessages.sort());
    const codes = new Set(frames.filter((f) => f.type === "error").map((f) => f.code));
    expect([...codes].sort()).toEqual(["BAD_REQUEST", "BAD_USER_INPUT", "FORBIDDEN", "NOT_FOUND", "UNAUTHENTICATED"]);
  });
});
