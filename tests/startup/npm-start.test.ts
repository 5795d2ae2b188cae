import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort, isRunning, readinessBound, startNpmScript, waitForStatus } from "../helpers/process.js";

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

// The newcomer's path: `npm start` itself (npm, the shell it runs the script in, node), no
// DATABASE_URL, so the process runs its own embedded PostgreSQL. A supervisor signals the process
// it started, npm's: the script execs node so the signal npm passes on reaches the server (Debian's
// dash neither forwards it nor execs the last command itself).
describe("npm start without DATABASE_URL", () => {
  const dataDirs: string[] = [];
  afterAll(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("starts on an embedded PostgreSQL with demo data, stops wholly on SIGTERM, starts again on the same folder and stops wholly on SIGINT", {
    timeout: 3 * readinessBound,
  }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "stockroom-start-"));
    dataDirs.push(dataDir);
    const env = { STOCKROOM_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(await freePort()) };
    const base = `http://127.0.0.1:${env.PORT}`;
    const pidFile = path.join(dataDir, "pg", "postmaster.pid");

    for (const [round, signal] of [
      ["cold", "SIGTERM"],
      ["warm", "SIGINT"],
    ] as const) {
      const server = startNpmScript("start", env);
      try {
        await waitForStatus(`${base}/readyz`, 200, readinessBound, server.child);
      } catch (error) {
        throw new Error(`${round} start failed: ${(error as Error).message}\n${server.output()}`);
      }
      const page = (await (
        await fetch(`${base}/api/v1/products?page_size=5`, { headers: { "X-Request-Id": `npm-start-${round}` } })
      ).json()) as { count: number; results: unknown[] };
      expect(page.count, `${round} start`).toBe(24);
      expect(page.results).toHaveLength(5);
      // Log lines are written in blocks, but a quiet server still writes them out promptly.
      await vi.waitFor(() => expect(server.output()).toContain(`"requestId":"npm-start-${round}"`), { timeout: 10_000 });

      const [postmaster = 0, , , pgPort = 0] = readFileSync(pidFile, "utf8").split("\n").map(Number);
      const tree = server.tree();
      expect(tree, "the embedded PostgreSQL runs inside npm's process tree").toContain(postmaster);

      expect(await server.stop(signal), server.output()).toBe(0);
      expect(server.output()).toContain("stopped cleanly");
      // Nothing of the tree survives npm: not node, not PostgreSQL (nor its backends), and both ports are closed.
      await vi.waitFor(() => expect(tree.filter(isRunning), `${signal}: still running`).toEqual([]), { timeout: 10_000 });
      expect(existsSync(pidFile), "postmaster.pid left behind").toBe(false);
      expect(await accepts(Number(env.PORT))).toBe(false);
      expect(await accepts(pgPort)).toBe(false);
    }
  });
});
