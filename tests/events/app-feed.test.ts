import { describe, expect, it, vi } from "vitest";
import { buildApp } from "../../src/app.js";
import { migrationNames } from "../../src/db/migrator.js";
import { createPrismaClient } from "../../src/db/prisma.js";
import { feedChannel } from "../../src/events/append.js";
import type { FeedEvent } from "../../src/events/feed.js";
import { createModules } from "../../src/modules/index.js";
import { capturingLogger, testConfig } from "../helpers/app.js";
import { seededDatabase } from "../helpers/seeded.js";
import { committedEvents } from "./fixtures.js";

describe("the app's event feed", () => {
  it("is started with the app, serves subscribe(), and leaves no LISTEN connection behind after close()", async () => {
    const { prisma, url } = await seededDatabase();
    const appPrisma = createPrismaClient(url, { poolSize: 4 });
    const listeners = async () => {
      const rows = await prisma.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND query = ${`LISTEN ${feedChannel}`}`;
      return Number(rows[0]?.n);
    };
    expect(await listeners()).toBe(0);
    const built = await buildApp({
      config: testConfig(url),
      logger: capturingLogger().logger,
      prisma: appPrisma,
      databaseUrl: url,
      migrationNames: await migrationNames(),
    });
    try {
      expect(await listeners()).toBe(1);
      // Resuming from the seed's last event through the app's own feed: a new comment arrives after "live".
      const from = (await committedEvents(prisma)).at(-1)?.position;
      const seen: string[] = [];
      built.feed.subscribe(
        { from, filter: { streamType: "post" } },
        { onEvent: (e: FeedEvent) => seen.push(e.type), onLive: () => seen.push("live") },
      );
      // Written once the replay is done: written earlier, the comment would rightly come in the replay, before "live".
      await vi.waitFor(() => expect(seen).toEqual(["live"]), { timeout: 30_000 });
      const [staff] = await prisma.user.findMany({ where: { role: "staff" } });
      const post = await prisma.post.findFirstOrThrow();
      await createModules(prisma).blog.commands.addComment(
        { userId: staff?.id, clientId: "test", scopes: new Set(["blog:write"]), roles: ["staff"] },
        post.id,
        "through the app's feed",
      );
      await vi.waitFor(() => expect(seen).toEqual(["live", "CommentAdded"]), { timeout: 30_000 });
    } finally {
      await built.close();
      await appPrisma.$disconnect();
    }
    await vi.waitFor(async () => expect(await listeners()).toBe(0));
    expect(() => built.feed.subscribe({}, { onEvent: () => {} })).toThrow(/started event feed/);
  });
});
