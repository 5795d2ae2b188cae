import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { connectAdmin } from "../helpers/database-server.js";
import { cleanEnv, runCommand } from "../helpers/process.js";

// The test command must not lie: a run with a failing test exits non-zero, whichever database it
// runs on, and leaves nothing behind. tests/fixtures/failing.test.ts fails on purpose; its own
// config runs it alone (the suite excludes tests/fixtures), with the suite's setup and helpers.
const vitest = path.resolve("node_modules/vitest/vitest.mjs");
const runFailingFixture = (env: Record<string, string>) =>
  runCommand(process.execPath, [vitest, "run", "--config", "tests/fixtures/vitest.config.ts"], {
    ...cleanEnv({ NODE_ENV: "test", NO_COLOR: "1", ...env }),
    FORCE_COLOR: "0",
  });

/** The prefix of the fixture run's databases, from the failure it reports. */
function runPrefixIn(output: string): string {
  const prefix = output.match(/created (stockroom_test_[0-9a-f]{8}_)/)?.[1];
  if (!prefix) throw new Error(`the fixture did not report its database:\n${output}`);
  return prefix;
}

function expectDeliberateFailure(result: { code: number | null; stdout: string; stderr: string }) {
  const output = result.stdout + result.stderr;
  expect(output, output).toMatch(/Tests\s+1 failed \(1\)/);
  expect(output).toContain("fails on purpose");
  expect(result.code, output).toBe(1);
}

describe("a failing test fails the test command", () => {
  const folders: string[] = [];
  afterAll(() => Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("on the embedded PostgreSQL (no TEST_DATABASE_URL), whose folder it removes", { timeout: 180_000 }, async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "stockroom-failing-"));
    folders.push(dataDir);
    const result = await runFailingFixture({ FIXTURE_DATA_DIR: dataDir });
    expectDeliberateFailure(result);
    runPrefixIn(result.stdout + result.stderr);
    expect(existsSync(dataDir), "the embedded test folder is left behind").toBe(false);
  });

  it("on an external PostgreSQL (TEST_DATABASE_URL), where it leaves no database", { timeout: 180_000 }, async () => {
    const server = inject("adminDatabaseUrl");
    const result = await runFailingFixture({ TEST_DATABASE_URL: server });
    expectDeliberateFailure(result);
    const prefix = runPrefixIn(result.stdout + result.stderr);
    const admin = await connectAdmin(server);
    try {
      const left = await admin.query("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  });
});
