import { randomUUID } from "node:crypto";
import { Verifier } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { type Frame, TestSocket, wsUrl } from "../helpers/socket.js";
import { staffToken } from "../helpers/tokens.js";
import { pactFile } from "./pacts.js";
import { productWithStock, restCall } from "./stockroom-api.js";

// Provider verification of the socket frames the web client consumes
// (pacts/stockroom-web-stockroom-realtime.json, written by web/tests/pact/realtime.pact.test.ts).
// Every message is produced by the real realtime code: a real `ws` client on the real server's
// `/ws`, doing what makes the server send that frame, and the frame it received is the message.

let server: IdentityServer;
let staff: string;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
});
afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server?.stop();
});

/** An open socket on /ws, authenticated with the staff token when asked. */
async function socket(options: { authenticated?: boolean } = {}): Promise<TestSocket> {
  const ws = new TestSocket(wsUrl(server.url, "/ws"), options.authenticated ? { token: staff } : {});
  sockets.push(ws);
  await ws.opened;
  return ws;
}

/** Subscribes to `topic` and waits for the server to say it is live. */
async function live(ws: TestSocket, topic: string): Promise<Frame> {
  ws.send({ type: "subscribe", topic });
  return ws.next((f) => f.type === "live" && f.topic === topic);
}

const firstPostId = async () =>
  (await restCall<{ data: { id: number }[] }>(server, undefined, "GET", "/posts?limit=1")).data[0]?.id;

const messageProviders = {
  "an inventory event after a stock movement": async () => {
    const ws = await socket();
    await live(ws, "inventory");
    const { productId } = await productWithStock(server, staff, 45);
    return ws.next((f) => f.type === "event" && (f.data as { productId?: number }).productId === productId);
  },
  "the live frame of the inventory topic": async () => live(await socket(), "inventory"),
  "a comment added event on the post's comments topic": async () => {
    const postId = await firstPostId();
    const ws = await socket();
    await live(ws, `post:${postId}:comments`);
    await restCall(server, staff, "POST", `/posts/${postId}/comments`, { text: "Lovely write-up." });
    return ws.next((f) => f.type === "event" && f.event === "CommentAdded");
  },
  "the ack of a comment posted over the socket": async () => {
    const ws = await socket({ authenticated: true });
    const clientId = randomUUID();
    ws.send({ type: "comment", postId: await firstPostId(), text: "Agreed!", clientId });
    return ws.next((f) => f.clientId === clientId);
  },
  "an error frame refusing a comment with no text": async () => {
    const ws = await socket({ authenticated: true });
    const clientId = randomUUID();
    ws.send({ type: "comment", postId: await firstPostId(), text: " ", clientId });
    return ws.next((f) => f.clientId === clientId);
  },
  "an error frame for the comments of a post that does not exist": async () => {
    const ws = await socket();
    ws.send({ type: "subscribe", topic: "post:999999:comments" });
    return ws.next((f) => f.type === "error");
  },
  "an error frame for a since position that cannot be resumed from": async () => {
    const ws = await socket();
    ws.send({ type: "subscribe", topic: "inventory", since: "nonsense" });
    return ws.next((f) => f.type === "error");
  },
};

// What the frames above need is made by the message providers themselves; the states name it.
const stateHandlers = {
  "a product with stock exists": async () => undefined,
  "a post with comments exists": async () => {
    expect(await firstPostId()).toBeTypeOf("number");
    return undefined;
  },
  "the caller holds a token with blog:write": async () => undefined,
};

describe("the socket frames the web client consumes", () => {
  it("are the frames the real realtime code sends", async () => {
    const output = await new Verifier({
      provider: "stockroom-realtime",
      pactUrls: [pactFile("stockroom-realtime")],
      messageProviders,
      stateHandlers,
      logLevel: "warn",
    }).verifyProvider();
    expect(output).toBeDefined();
  });
});
