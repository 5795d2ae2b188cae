import { MatchersV3, type PactV4 } from "@pact-foundation/pact";
import { beforeAll, describe, expect, it } from "vitest";
import { RealtimeClient } from "../../src/api/realtime";
import { CommentThread } from "../../src/blog/comment-thread";
import { sendComment, watchComments } from "../../src/blog/live-comments";
import { inventoryWatcher } from "../../src/catalog/live-inventory";
import { StockLevels } from "../../src/catalog/stock-levels";
import { freshPact } from "./pact-files";
import { RecordingSocket } from "./recording-socket";

// The socket frames the client consumes (event, live, ack, error), as Pact V4 asynchronous
// messages. Each message is handed to the client's real RealtimeClient, whose watchers (live
// stock, a post's comment thread) must do with it what the page shows. tests/contract verifies
// each message against frames the real realtime code produces.

const { integer, string, regex, eachLike, uuid } = MatchersV3;

let pact: PactV4;
beforeAll(async () => {
  pact = await freshPact("stockroom-realtime");
});

const position = regex(/^\d+-\d+$/, "7421-118");
const clientId = "3b241101-e2bb-4255-8caf-4136c566a962";

/** The client's socket layer over a recording transport, opened and with `topic` watched. */
async function connected(watch: (client: RealtimeClient) => void) {
  const client = new RealtimeClient({ url: "ws://stockroom.test/ws", WebSocket: RecordingSocket as unknown as typeof WebSocket });
  watch(client);
  await new Promise((resolve) => queueMicrotask(() => resolve(undefined)));
  return client;
}

const frameText = (contents: unknown) => JSON.stringify(contents);

describe("the realtime frames the web client consumes", () => {
  it("an inventory event moves the product's live stock", async () => {
    await pact
      .addAsynchronousInteraction()
      .given("a product with stock exists")
      .expectsToReceive("an inventory event after a stock movement", (m) =>
        m
          .withJSONContent({
            type: "event",
            topic: "inventory",
            position,
            event: regex(/^Stock(Received|Adjusted|Reserved|Released|Shipped)$/, "StockReceived"),
            data: {
              productId: integer(7),
              onHand: integer(45),
              reserved: integer(0),
              available: integer(45),
              version: integer(2),
            },
          })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        const levels = new StockLevels();
        levels.offer(7, { onHand: 40, reserved: 0, available: 40, version: 1 });
        const client = await connected((c) =>
          c.watch(
            "inventory",
            inventoryWatcher(levels, () => undefined),
          ),
        );
        client.receive(frameText(message.contents.content));
        expect(levels.get(7)).toMatchObject({ available: 45, version: 2 });
      });
  });

  it("the live frame of a topic says every missed event was delivered", async () => {
    await pact
      .addAsynchronousInteraction()
      .expectsToReceive("the live frame of the inventory topic", (m) =>
        m.withJSONContent({ type: "live", topic: "inventory" }).withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        const client = await connected((c) =>
          c.watch(
            "inventory",
            inventoryWatcher(new StockLevels(), () => undefined),
          ),
        );
        expect(client.status()).toBe("connecting");
        client.receive(frameText(message.contents.content));
        expect(client.status()).toBe("live");
      });
  });

  it("a comment added event puts the comment in the post's thread once", async () => {
    await pact
      .addAsynchronousInteraction()
      .given("a post with comments exists")
      .expectsToReceive("a comment added event on the post's comments topic", (m) =>
        m
          .withJSONContent({
            type: "event",
            topic: regex(/^post:\d+:comments$/, "post:3:comments"),
            position,
            event: "CommentAdded",
            data: {
              id: integer(41),
              postId: integer(3),
              text: string("Lovely write-up."),
              author: { id: integer(2), username: string("casey-customer") },
              createdAt: regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, "2026-12-01T10:00:00.000Z"),
            },
          })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        const thread = new CommentThread();
        const client = await connected((c) =>
          watchComments(c, 3, thread, { reload: () => undefined, onRefused: () => undefined }),
        );
        client.receive(frameText(message.contents.content));
        client.receive(frameText(message.contents.content));
        expect(thread.snapshot()).toEqual([
          {
            id: 41,
            text: "Lovely write-up.",
            author: "casey-customer",
            createdAt: "2026-12-01T10:00:00.000Z",
            state: "confirmed",
          },
        ]);
      });
  });

  it("the ack of a comment posted over the socket replaces its optimistic entry", async () => {
    await pact
      .addAsynchronousInteraction()
      .given("the caller holds a token with blog:write")
      .expectsToReceive("the ack of a comment posted over the socket", (m) =>
        m
          .withJSONContent({ type: "ack", clientId: uuid(clientId), commentId: integer(42), position })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        const thread = new CommentThread();
        const client = await connected(() => undefined);
        const sent = sendComment(client, thread, { postId: 3, text: "Agreed!", author: "sam-staff", clientId });
        expect(thread.snapshot()).toMatchObject([{ clientId, text: "Agreed!", state: "sending" }]);
        client.receive(frameText(message.contents.content));
        await sent;
        expect(thread.snapshot()).toMatchObject([{ id: 42, text: "Agreed!", author: "sam-staff", state: "confirmed" }]);
        expect(RecordingSocket.instances.at(-1)?.sent).toContainEqual({ type: "comment", postId: 3, text: "Agreed!", clientId });
      });
  });

  it("an error frame refusing a comment marks it refused, in words", async () => {
    await pact
      .addAsynchronousInteraction()
      .given("the caller holds a token with blog:write")
      .expectsToReceive("an error frame refusing a comment with no text", (m) =>
        m
          .withJSONContent({
            type: "error",
            clientId: uuid(clientId),
            code: "BAD_USER_INPUT",
            detail: string("The request is not valid; see errors."),
            errors: eachLike({ field: string("text"), detail: string("Too small: expected string to have >=1 characters") }),
          })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        const thread = new CommentThread();
        const client = await connected(() => undefined);
        const sent = sendComment(client, thread, { postId: 3, text: " ", author: "sam-staff", clientId });
        client.receive(frameText(message.contents.content));
        await sent;
        expect(thread.snapshot()).toMatchObject([
          { clientId, state: "failed", error: "Not posted: text: Too small: expected string to have >=1 characters" },
        ]);
      });
  });

  it("an error frame for a topic that does not exist says so", async () => {
    await pact
      .addAsynchronousInteraction()
      .expectsToReceive("an error frame for the comments of a post that does not exist", (m) =>
        m
          .withJSONContent({
            type: "error",
            topic: regex(/^post:\d+:comments$/, "post:999999:comments"),
            code: "NOT_FOUND",
            detail: string("Post 999999 does not exist."),
          })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        let refused: string | undefined;
        const client = await connected((c) =>
          watchComments(c, 999999, new CommentThread(), { reload: () => undefined, onRefused: (why) => (refused = why) }),
        );
        client.receive(frameText(message.contents.content));
        expect(refused).toBe("This post does not exist (any more).");
      });
  });

  it("an error frame for a position it cannot resume from makes the client start over and reload", async () => {
    await pact
      .addAsynchronousInteraction()
      .expectsToReceive("an error frame for a since position that cannot be resumed from", (m) =>
        m
          .withJSONContent({
            type: "error",
            topic: "inventory",
            code: "BAD_USER_INPUT",
            detail: string('"nonsense" is not a feed position.'),
            errors: eachLike({ parameter: "since", detail: string('expected "<txid>-<id>" as returned with an event') }),
          })
          .withMetadata({ contentType: "application/json" }),
      )
      .executeTest(async (message) => {
        let reloads = 0;
        const levels = new StockLevels();
        const client = await connected((c) =>
          c.watch(
            "inventory",
            inventoryWatcher(levels, () => reloads++),
          ),
        );
        // It had resumed from a position the server refuses.
        client.receive(
          frameText({
            type: "event",
            topic: "inventory",
            position: "1-1",
            event: "StockReceived",
            data: { productId: 1, onHand: 1, reserved: 0, available: 1, version: 1 },
          }),
        );
        const socket = RecordingSocket.instances.at(-1);
        client.receive(frameText(message.contents.content));
        expect(socket?.sent.at(-1)).toEqual({ type: "subscribe", topic: "inventory" });
        client.receive(frameText({ type: "live", topic: "inventory" }));
        expect(reloads).toBe(1);
      });
  });
});
