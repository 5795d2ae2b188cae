import { cpSync, existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { freePort, runCommand, startEntryPoint, waitForStatus } from "../helpers/process.js";

// A newcomer's `npm start` (NODE_ENV unset: development) runs the sources transpiled by esbuild
// into .dev-build/<tree>/ (scripts/dev-build.mjs), with source maps and no TypeScript loader in
// the process; a tree is built once, and again when a source changes.
const loadedScriptsFile = path.join(tmpdir(), `stockroom-dev-loaded-scripts-${process.pid}.txt`);
afterAll(() => rmSync(loadedScriptsFile, { force: true }));

/** Runs scripts/dev-build.mjs of the package at `root`; resolves with the entry point it printed, as an absolute path. */
async function devBuild(root: string): Promise<{ entry: string; built: boolean }> {
  const run = await runCommand(process.execPath, [path.join(root, "scripts/dev-build.mjs")], process.env);
  expect(run.code, run.stderr).toBe(0);
  return { entry: path.join(root, run.stdout), built: run.stderr.includes("sources transpiled into .dev-build/") };
}

describe("development's npm start", () => {
  it("runs the transpiled sources with source maps and no TypeScript loader", { timeout: 180_000 }, async () => {
    const database = await createTestDatabase();
    const port = await freePort();
    const server = startEntryPoint(
      {
        DATABASE_URL: database.url,
        HOST: "127.0.0.1",
        PORT: String(port),
        LOG_LEVEL: "warn",
        LOADED_SCRIPTS_FILE: loadedScriptsFile,
      },
      ["--import", "./tests/fixtures/loaded-scripts.mjs"],
    );
    try {
      await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 120_000, server.child);
      const args = readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").split("\0");
      expect(args).toContain("--enable-source-maps");
      expect(args.find((arg) => arg.endsWith("main.js"))).toMatch(/^\.dev-build\/[0-9a-f]{16}\/src\/main\.js$/);
      process.kill(server.child.pid as number, "SIGUSR2");
      while (!existsSync(loadedScriptsFile)) await new Promise((resolve) => setTimeout(resolve, 20));
      const urls = readFileSync(loadedScriptsFile, "utf8").split("\n");
      expect(urls.filter((url) => /node_modules\/tsx\//.test(url) || /\/src\/.+\.ts$/.test(url))).toEqual([]);
      const res = await fetch(`http://127.0.0.1:${port}/api/v2/products?limit=1`);
      expect(res.status).toBe(200);
    } finally {
      expect(await server.stop(), server.output()).toBe(0);
    }
  });

  it("builds a tree of sources once, and again when a source changed", { timeout: 60_000 }, async () => {
    // In a copy of the package, so that the servers other test files start keep their tree.
    const root = await mkdtemp(path.join(tmpdir(), "stockroom-dev-build-"));
    try {
      for (const part of ["package.json", "scripts", "src", "prisma/seed.ts"])
        cpSync(part, path.join(root, part), { recursive: true });
      symlinkSync(path.resolve("node_modules"), path.join(root, "node_modules"));
      const { entry, built } = await devBuild(root);
      expect(built).toBe(true);
      expect(await devBuild(root), "nothing changed: the same build, not built again").toEqual({ entry, built: false });

      const source = path.join(root, "src/package-root.ts");
      writeFileSync(source, `${readFileSync(source, "utf8")}\nexport const edited = true;\n`);
      const { entry: rebuilt } = await devBuild(root);
      expect(rebuilt).not.toBe(entry);
      expect(readFileSync(path.join(path.dirname(rebuilt), "package-root.js"), "utf8")).toContain("edited = true");
      expect(existsSync(entry), "the earlier tree is removed").toBe(false);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
