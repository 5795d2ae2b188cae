import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createModules } from "../../src/modules/index.js";
import { userActor } from "../helpers/actors.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { type Frame, openSocket, TestSocket, wsUrl } from "../helpers/socket.js";
import { staffToken } from "../helpers/tokens.js";

// Two server processes' worth of Stockroom on one database (same PUBLIC_URL, as behind a load
// balancer): every instance tails the feed, so each delivers every event and resumes any client.
let a: IdentityServer;
let b: IdentityServer;
let prisma: PrismaClient;
let writer: string;
let postId: number;

beforeAll(async () => {
  const db = await createTestDatabase();
  // No heartbeat within the test: a paused reader cannot answer pings, and this is about its queue.
  a = await startIdentityServer(db.url, {
    WS_MAX_SOCKETS_PER_ADDRESS: "4",
    WS_MAX_BUFFERED_BYTES: "65536",
    WS_HEARTBEAT_MS: "600000",
  });
  b = await startIdentityServer(db.url, { PUBLIC_URL: a.publicUrl });
  prisma = createPrismaClient(db.url, { poolSize: 8 });
  writer = await staffToken(a, "blog:write");
  postId = (await prisma.post.findFirstOrThrow({ orderBy: { id: "asc" } })).id;
});
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
  await prisma.$disconnect();
});

const topic = () => `post:${postId}:comments`;
const commentIds = (socket: TestSocket) =>
  socket.events(topic()).flatMap((f: Frame) => (f.event === "CommentAdded" ? [(f.data as { id: number }).id] : []));
const postVia = async (server: IdentityServer, text: string) => {
  const res = await fetch(`${server.url}/api/v2/posts/${postId}/comments`, {
    method: "POST",
    headers: { Authorization: `Bearer ${writer}`, "Content-Type": "application/json" },
    body: JSON.stringify({ text }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
};

describe("two instances on one database", () => {
  it("a write on one reaches a socket on the other; a client that moves to the other resumes with since and misses nothing", async () => {
    const onA = await openSocket(wsUrl(a.url, `/ws/posts/${postId}/comments`));
    await onA.next((f) => f.type === "live");
    const first = await postVia(b, "written on B");
    await onA.next(() => commentIds(onA).includes(first));

    onA.ws.terminate();
    const since = onA.events(topic()).at(-1)?.position as string;
    const missed = [await postVia(a, "while away 1"), await postVia(b, "while away 2")];
    const onB = await openSocket(wsUrl(b.url, `/ws/posts/${postId}/comments?since=${since}`));
    const later = await postVia(a, "after the move");
    await onB.next(() => commentIds(onB).includes(later));
    expect([...commentIds(onA), ...commentIds(onB)]).toEqual([first, ...missed, later]);
    onB.close();
  });

  it("429 beyond the sockets one address may hold", async () => {
    const held = await Promise.all([1, 2, 3, 4].map(() => openSocket(wsUrl(a.url, "/ws"))));
    const refused = new TestSocket(wsUrl(a.url, "/ws"));
    await refused.opened.catch(() => {});
    expect(refused.refusedStatus).toBe(429);
    for (const s of held) s.close();
    await Promise.all(held.map((s) => s.closed));
  });

  it("a reader that stops reading is cut off with 1013 while a fast one receives everything", async () => {
    const path = `/ws/posts/${postId}/comments`;
    const slow = await openSocket(wsUrl(a.url, path));
    const fast = await openSocket(wsUrl(a.url, path));
    await Promise.all([slow.next((f) => f.type === "live"), fast.next((f) => f.type === "live")]);
    // The slow reader stops reading: the kernel's buffers fill, then the server's queue for it.
    const raw = (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    raw.pause();
    // Loopback absorbs about 4 MiB before the server's own queue grows: write 6 MB of comments
    // through the core, 8 writers at a time (the server delivers them from the feed as ever).
    const blog = createModules(prisma).blog.commands;
    const author = userActor((await prisma.user.findFirstOrThrow({ where: { role: "staff" } })).id, "staff", ["blog:write"]);
    const text = "x".repeat(5000);
    const total = 1200;
    let posted = 0;
    const post = async () => {
      while (posted < total) {
        posted += 1;
        await blog.addComment(author, postId, text);
      }
    };
    const writes = Promise.all(Array.from({ length: 8 }, post));
    // Read again as soon as the server has cut it off: ws gives a peer 30 s to answer a close
    // frame, and on a loaded machine the writes alone can take longer than that.
    const cutOff = () => a.logLines.some((line) => String(line.msg).includes("closing it with 1013"));
    while (!cutOff() && posted < total) await new Promise((r) => setTimeout(r, 50));
    raw.resume();
    await writes;
    await fast.next(() => commentIds(fast).length >= total, 60_000);
    const closed = await Promise.race([slow.closed, new Promise((r) => setTimeout(() => r({ code: "still open" }), 20_000))]);
    expect(closed).toMatchObject({ code: 1013 });
    expect(commentIds(fast)).toHaveLength(total);
    expect(commentIds(slow).length).toBeLessThan(total);
    fast.close();
  });
});

describe("shutdown", () => {
  it("answers the comment in flight, then closes every socket with 1001", async () => {
    const author = await openSocket(wsUrl(b.url, "/ws"), { token: writer });
    const watcher = await openSocket(wsUrl(b.url, `/ws/posts/${postId}/comments`));
    await watcher.next((f) => f.type === "live");
    const clientId = randomUUID();
    author.send({ type: "comment", postId, text: "last words", clientId });
    await new Promise((r) => setTimeout(r, 5));
    const stopped = b.stop();
    const [authorClosed, watcherClosed] = await Promise.all([author.closed, watcher.closed]);
    await stopped;
    expect(authorClosed.code).toBe(1001);
    expect(watcherClosed.code).toBe(1001);
    const answer = author.frames.find((f) => f.clientId === clientId);
    expect(answer?.type).toBe("ack");
    expect(await prisma.comment.count({ where: { id: answer?.commentId as number } })).toBe(1);
    await b.restart();
  });
});
