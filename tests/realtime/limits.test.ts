import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { openSocket, TestSocket, wsUrl } from "../helpers/socket.js";
import { forgeToken, staffToken } from "../helpers/tokens.js";

// Every refusal, error frame and close code of the WebSocket transport, on a server with small limits.
let server: IdentityServer;
let prisma: PrismaClient;
let writer: string;
let postId: number;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url, {
    WS_MAX_FRAME_BYTES: "1024",
    WS_MAX_INVALID_FRAMES: "3",
    WS_MAX_SUBSCRIPTIONS: "2",
    WS_MAX_SOCKETS_PER_TOKEN: "2",
    WS_HEARTBEAT_MS: "300",
  });
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  writer = await staffToken(server, "blog:write");
  postId = (await prisma.post.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const url = (path: string) => wsUrl(server.url, path);

async function refusal(path: string, options: ConstructorParameters<typeof TestSocket>[1] = {}) {
  const socket = new TestSocket(url(path), options);
  await socket.opened.catch(() => {});
  return socket.refusedStatus;
}

describe("upgrades the server refuses with an HTTP status", () => {
  it("401 for a bad token, 404 for a path that is no endpoint, 403 for a foreign Origin", async () => {
    expect(await refusal("/ws", { token: "not-a-jwt" })).toBe(401);
    expect(await refusal("/ws/elsewhere")).toBe(404);
    expect(await refusal("/ws", { origin: "https://evil.example" })).toBe(403);
    const own = await openSocket(url("/ws"), { origin: new URL(server.publicUrl).origin });
    own.close();
  });

  it("429 beyond the sockets one token may hold", async () => {
    const held = await Promise.all([openSocket(url("/ws"), { token: writer }), openSocket(url("/ws"), { token: writer })]);
    expect(await refusal("/ws", { token: writer })).toBe(429);
    for (const s of held) s.close();
    await Promise.all(held.map((s) => s.closed));
    (await openSocket(url("/ws"), { token: writer })).close();
  });
});

describe("error frames and close codes", () => {
  it("an unknown post on a convenience path closes with 4404; unknown topics get error frames", async () => {
    const missing = new TestSocket(url("/ws/products/999999/inventory"));
    expect((await missing.closed).code).toBe(4404);
    const socket = await openSocket(url("/ws"));
    socket.send({ type: "subscribe", topic: "weather" });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ code: "BAD_USER_INPUT", errors: [{ field: "topic" }] });
    socket.send({ type: "subscribe", topic: "post:999999:comments" });
    expect(await socket.next((f) => f.type === "error" && f.code === "NOT_FOUND")).toMatchObject({
      topic: "post:999999:comments",
    });
    socket.close();
  });

  it("limits the topics one socket watches", async () => {
    const socket = await openSocket(url("/ws"));
    for (const topic of ["inventory", "products"]) socket.send({ type: "subscribe", topic });
    await socket.next((f) => f.type === "live" && f.topic === "products");
    socket.send({ type: "subscribe", topic: `post:${postId}:comments` });
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ code: "LIMIT_EXCEEDED" });
    socket.send({ type: "unsubscribe", topic: "inventory" });
    await socket.next((f) => f.type === "unsubscribed");
    socket.send({ type: "subscribe", topic: `post:${postId}:comments` });
    await socket.next((f) => f.type === "live" && f.topic === `post:${postId}:comments`);
    socket.close();
  });

  it("invalid JSON and unknown frames get error frames, then 1008 after repeated abuse", async () => {
    const socket = await openSocket(url("/ws"));
    socket.send("{not json");
    expect(await socket.next((f) => f.type === "error")).toMatchObject({ code: "BAD_REQUEST" });
    socket.send({ type: "dance" });
    expect(await socket.next((f) => f.type === "error" && f.code === "BAD_USER_INPUT")).toMatchObject({
      errors: [{ field: "type" }],
    });
    socket.send({ type: "ping", extra: 1 });
    expect((await socket.closed).code).toBe(1008);
  });

  it("a frame over the size limit closes with 1009", async () => {
    const socket = await openSocket(url("/ws"));
    socket.send({ type: "subscribe", topic: "x".repeat(2000) });
    expect((await socket.closed).code).toBe(1009);
  });

  it("a peer that stops answering pings is terminated; one that answers stays", async () => {
    const dead = await openSocket(url("/ws"), { autoPong: false });
    const alive = await openSocket(url("/ws"));
    expect((await dead.closed).code).toBe(1006);
    alive.send({ type: "ping" });
    await alive.next((f) => f.type === "pong");
    alive.close();
  });
});

describe("token lifetime", () => {
  const shortToken = async (seconds: number) => {
    const staff = await prisma.user.findFirstOrThrow({ where: { role: "staff" } });
    const now = Math.floor(Date.now() / 1000);
    return forgeToken(server, prisma, {
      sub: String(staff.id),
      scope: "blog:write",
      roles: ["staff"],
      jti: randomUUID(),
      exp: now + seconds,
    });
  };

  it("closes with 4401 when the token expires, unless an auth frame renewed it", async () => {
    const expiring = await openSocket(url("/ws"), { token: await shortToken(2) });
    const renewed = await openSocket(url("/ws"), { token: await shortToken(2) });
    renewed.send({ type: "auth", token: await shortToken(600) });
    expect(await renewed.next((f) => f.type === "authenticated")).toMatchObject({ expiresAt: expect.any(String) });
    expect((await expiring.closed).code).toBe(4401);
    await new Promise((r) => setTimeout(r, 500));
    const clientId = randomUUID();
    renewed.send({ type: "comment", postId, text: "still here", clientId });
    expect(await renewed.next((f) => f.type === "ack")).toMatchObject({ clientId });
    renewed.send({ type: "auth", token: "garbage" });
    expect((await renewed.closed).code).toBe(4401);
  });

  it("an anonymous socket can sign in with an auth frame and then post", async () => {
    const socket = await openSocket(url("/ws"));
    socket.send({ type: "auth", token: writer });
    await socket.next((f) => f.type === "authenticated");
    const clientId = randomUUID();
    socket.send({ type: "comment", postId, text: "signed in late", clientId });
    expect(await socket.next((f) => f.type === "ack")).toMatchObject({ clientId });
    socket.close();
  });
});
