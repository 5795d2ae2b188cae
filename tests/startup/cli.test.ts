import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, readinessBound, runScript, startEntryPoint, waitForStatus } from "../helpers/process.js";

const dataDirs: string[] = [];
afterAll(() => Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true }))));
async function freshDataDir() {
  const dir = await mkdtemp(path.join(tmpdir(), "stockroom-cli-"));
  dataDirs.push(dir);
  return dir;
}

describe("configuration", () => {
  it("refuses to start on a bad variable with one line naming it", async () => {
    const result = await runScript("src/main.ts", [], { PORT: "eighty", STOCKROOM_DATA_DIR: await freshDataDir() });
    expect(result.code).toBe(78);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/^stockroom: Invalid environment variable PORT="eighty"/);
  });
});

describe("data commands reach the server's database", () => {
  it("work on the embedded data folder with and without a server running on it", { timeout: 3 * readinessBound }, async () => {
    const dataDir = await freshDataDir();
    const env = { STOCKROOM_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(await freePort()) };

    // No server: the command starts the embedded PostgreSQL for itself and stops it after.
    const migrate = await runScript("src/cli/db-migrate.ts", [], env);
    expect(migrate.code, migrate.stderr).toBe(0);
    expect(migrate.stdout).toMatch(/Applied: \d+_init/);
    const seed = await runScript("src/cli/db-seed.ts", [], env);
    expect(seed.code, seed.stderr).toBe(0);
    expect(seed.stdout).toMatch(/Seeded \d+ demo records/);
    expect(existsSync(path.join(dataDir, "pg", "postmaster.pid"))).toBe(false);

    // A server on the same folder sees what the commands wrote, and does not seed again.
    const server = startEntryPoint(env);
    try {
      await waitForStatus(`http://127.0.0.1:${env.PORT}/readyz`, 200, readinessBound, server.child);
      // With the server running, commands join its PostgreSQL and leave it running.
      const again = await runScript("src/cli/db-seed.ts", [], env);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain("Demo data already present.");
      const upToDate = await runScript("src/cli/db-migrate.ts", [], env);
      expect(upToDate.stdout).toContain("Database is up to date.");
      const page = (await (await fetch(`http://127.0.0.1:${env.PORT}/api/v1/products`)).json()) as { count: number };
      expect(page.count).toBe(24);
    } finally {
      expect(await server.stop(), server.output()).toBe(0);
    }
  });
});
