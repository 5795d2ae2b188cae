import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { openSocket, TestSocket, wsUrl } from "../helpers/socket.js";
import { customerToken, staffToken } from "../helpers/tokens.js";

// Live comments and live inventory through real `ws` clients against a real, listening server.
let server: IdentityServer;
let prisma: PrismaClient;
let writer: string;
let postId: number;
let productId: number;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  writer = await staffToken(server, "blog:write inventory:write");
  postId = (await prisma.post.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
  productId = (await prisma.product.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const url = (path: string) => wsUrl(server.url, path);
const comments = () => `post:${postId}:comments`;
const adjust = (quantity: number, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/v2/products/${productId}/stock/adjustments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json", ...headers },
    body: JSON.stringify({ kind: "receive", quantity }),
  });

describe("live comments", () => {
  it("a comment posted over one socket reaches another once, through the feed, and the author gets an ack", async () => {
    const reader = await openSocket(url(`/ws/posts/${postId}/comments`));
    const author = await openSocket(url("/ws"), { token: writer });
    expect(author.ws.protocol).toBe("bearer");
    author.send({ type: "subscribe", topic: comments() });
    await Promise.all([reader.next((f) => f.type === "live"), author.next((f) => f.type === "live")]);

    const clientId = randomUUID();
    author.send({ type: "comment", postId, text: "  Live from the socket  ", clientId });
    const ack = await author.next((f) => f.type === "ack");
    expect(ack).toEqual({ type: "ack", clientId, commentId: expect.any(Number), position: expect.stringMatching(/^\d+-\d+$/) });

    const seen = await reader.next((f) => f.type === "event" && (f.data as { id: number }).id === ack.commentId);
    expect(seen).toMatchObject({
      topic: comments(),
      position: ack.position,
      event: "CommentAdded",
      data: { id: ack.commentId, postId, text: "Live from the socket", author: { username: "sam-staff" } },
    });
    // The author's own socket hears it from the feed too, exactly like every other subscriber.
    await author.next((f) => f.type === "event" && f.position === ack.position);

    // The same clientId again: the same comment, nothing added.
    author.send({ type: "comment", postId, text: "Live from the socket", clientId });
    const again = await author.next((f) => f.type === "ack" && f !== ack);
    expect(again).toEqual(ack);
    // Deterministic instead of waiting: a later comment arrives after anything the repeat could
    // have caused (one feed, in order), so once it is here, a duplicate would be here too.
    const laterId = randomUUID();
    author.send({ type: "comment", postId, text: "A later one", clientId: laterId });
    const later = await author.next((f) => f.type === "ack" && f.clientId === laterId);
    await reader.next((f) => f.type === "event" && f.position === later.position);
    const added = reader.events(comments()).filter((f) => f.event === "CommentAdded");
    expect(added.map((f) => f.position)).toEqual([ack.position, later.position]);
    reader.close();
    author.close();
  });

  it("a REST-posted comment arrives the same way", async () => {
    const reader = await openSocket(url(`/ws/posts/${postId}/comments`));
    await reader.next((f) => f.type === "live");
    const res = await fetch(`${server.url}/api/v2/posts/${postId}/comments`, {
      method: "POST",
      headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "Posted over REST" }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(await reader.next((f) => f.type === "event" && (f.data as { id: number }).id === id)).toMatchObject({
      event: "CommentAdded",
      data: { text: "Posted over REST" },
    });
    reader.close();
  });

  it("posting needs a token with blog:write; invalid comments name the field and write nothing", async () => {
    const anonymous = await openSocket(url("/ws"));
    anonymous.send({ type: "comment", postId, text: "hi", clientId: randomUUID() });
    const refused = await anonymous.next((f) => f.type === "error");
    expect(refused).toMatchObject({ code: "UNAUTHENTICATED" });
    // A socket cannot send an Authorization header: the detail names what a socket can do.
    expect(refused.detail).toMatch(/subprotocol pair "bearer, <token>".*"type":"auth"/);
    expect(refused.detail).not.toMatch(/Authorization/);

    const readOnly = await openSocket(url("/ws"), { token: await customerToken(server, "blog:read") });
    readOnly.send({ type: "subscribe", topic: comments() });
    await readOnly.next((f) => f.type === "live");
    const clientId = randomUUID();
    readOnly.send({ type: "comment", postId, text: "hi", clientId });
    expect(await readOnly.next((f) => f.type === "error")).toMatchObject({ code: "FORBIDDEN", clientId });
    // A watch-only socket stays open and keeps watching.
    readOnly.send({ type: "ping" });
    await readOnly.next((f) => f.type === "pong");

    const before = await prisma.comment.count();
    const author = await openSocket(url("/ws"), { token: writer });
    const blank = randomUUID();
    author.send({ type: "comment", postId, text: "   ", clientId: blank });
    expect(await author.next((f) => f.type === "error" && f.clientId === blank)).toMatchObject({
      code: "BAD_USER_INPUT",
      errors: [{ field: "text" }],
    });
    const missing = randomUUID();
    author.send({ type: "comment", postId: 999_999, text: "to nowhere", clientId: missing });
    expect(await author.next((f) => f.type === "error" && f.clientId === missing)).toMatchObject({ code: "NOT_FOUND" });
    expect(await prisma.comment.count()).toBe(before);
    for (const s of [anonymous, readOnly, author]) s.close();
  });

  it("a post's topic is gone once its deletion has reached the server's sockets, though watching it made it known", async () => {
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/api/v2${path}`, {
        method,
        headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const created = await api("POST", "/posts", { title: "Short-lived", content: "Soon gone" });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    const watcher = await openSocket(url(`/ws/posts/${id}/comments`));
    await watcher.next((f) => f.type === "live");
    expect((await api("DELETE", `/posts/${id}`)).status).toBe(204);
    await watcher.next((f) => f.event === "PostDeleted");
    const late = new TestSocket(url(`/ws/posts/${id}/comments`));
    const answer = await Promise.race([late.closed.then((c) => c.code), late.next((f) => f.type === "live").then((f) => f.type)]);
    expect(answer).toBe(4404);
    late.close();
    watcher.close();
  });
});

describe("live inventory", () => {
  it("a REST stock adjustment reaches the product's topic and the all-products topic with the new level", async () => {
    const one = await openSocket(url(`/ws/products/${productId}/inventory`));
    const all = await openSocket(url("/ws"));
    all.send({ type: "subscribe", topic: "inventory" });
    await Promise.all([one.next((f) => f.type === "live"), all.next((f) => f.type === "live")]);
    const res = await adjust(3);
    expect(res.status).toBe(201);
    const level = (await res.json()) as { onHand: number; available: number; version: number };
    const expected = { event: "StockReceived", data: { productId, quantity: 3, onHand: level.onHand, version: level.version } };
    expect(await one.next((f) => f.type === "event")).toMatchObject({ topic: `product:${productId}:inventory`, ...expected });
    expect(await all.next((f) => f.type === "event")).toMatchObject({ topic: "inventory", ...expected });
    one.close();
    all.close();
  });

  it("resumes after a forced disconnect: the union of both sockets is exactly the committed sequence", async () => {
    const topic = `product:${productId}:inventory`;
    const first = await openSocket(url(`/ws/products/${productId}/inventory`));
    await first.next((f) => f.type === "live");
    for (const q of [1, 2]) expect((await adjust(q)).status).toBe(201);
    await first.next((f) => f.type === "event" && (f.data as { quantity: number }).quantity === 2);
    first.ws.terminate();
    await first.closed;
    const last = first.events(topic).at(-1)?.position as string;
    // Written while nobody listens, and while the resumed socket replays.
    for (const q of [3, 4]) expect((await adjust(q)).status).toBe(201);
    const resumed = new TestSocket(url(`/ws/products/${productId}/inventory?since=${last}`));
    const writes = Promise.all([5, 6].map(async (q) => expect((await adjust(q)).status).toBe(201)));
    await writes;
    await resumed.next((f) => f.type === "event" && (f.data as { quantity: number }).quantity === 6);
    await resumed.next((f) => f.type === "event" && (f.data as { quantity: number }).quantity === 5);

    const versions = [...first.events(topic), ...resumed.events(topic)].map((f) => (f.data as { version: number }).version);
    const committed = await prisma.event.findMany({
      where: { streamType: "inventory", streamId: String(productId) },
      orderBy: { streamVersion: "asc" },
    });
    const since = versions[0] as number;
    expect(versions).toEqual(committed.map((e) => e.streamVersion).filter((v) => v >= since));
    // The replayed part comes before `live`; nothing repeats across the boundary.
    const liveAt = resumed.frames.findIndex((f) => f.type === "live");
    expect(liveAt).toBeGreaterThan(0);
    resumed.close();
  });

  it("a `since` that is malformed or unknown gets an error frame naming it", async () => {
    const socket = await openSocket(url("/ws"));
    socket.send({ type: "subscribe", topic: "inventory", since: "yesterday" });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({
      topic: "inventory",
      code: "BAD_USER_INPUT",
      errors: [{ parameter: "since" }],
    });
    socket.send({ type: "subscribe", topic: "inventory", since: "1-999999999" });
    expect(await socket.next((f) => f.type === "error" && f !== socket.frames[0])).toMatchObject({
      errors: [{ parameter: "since" }],
    });
    socket.close();
  });
});
