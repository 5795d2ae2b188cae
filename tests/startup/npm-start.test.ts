import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort, startEntryPoint, waitForStatus } from "../helpers/process.js";

// The newcomer's path: no DATABASE_URL, so the process runs its own embedded PostgreSQL.
describe("npm start without DATABASE_URL", () => {
  const dataDirs: string[] = [];
  afterAll(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("starts on an embedded PostgreSQL with demo data, stops on SIGTERM, and starts again on the same folder", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "stockroom-start-"));
    dataDirs.push(dataDir);
    const env = { STOCKROOM_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(await freePort()) };
    const base = `http://127.0.0.1:${env.PORT}`;

    for (const round of ["cold", "warm"]) {
      const server = startEntryPoint(env);
      try {
        await waitForStatus(`${base}/readyz`, 200, 60_000, server.child);
      } catch (error) {
        throw new Error(`${round} start failed: ${(error as Error).message}\n${server.output()}`);
      }
      const page = (await (
        await fetch(`${base}/api/v1/products?page_size=5`, { headers: { "X-Request-Id": `npm-start-${round}` } })
      ).json()) as { count: number; results: unknown[] };
      expect(page.count, `${round} start`).toBe(24);
      expect(page.results).toHaveLength(5);
      // Log lines are written in blocks, but a quiet server still writes them out promptly.
      await vi.waitFor(() => expect(server.output()).toContain(`"requestId":"npm-start-${round}"`), { timeout: 2000 });

      expect(await server.stop("SIGTERM"), server.output()).toBe(0);
      expect(server.output()).toContain("stopped cleanly");
      // The embedded PostgreSQL was shut down with the server, cleanly.
      expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);
    }
  });
});
