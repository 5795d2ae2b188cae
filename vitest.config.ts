import { configDefaults, defineConfig } from "vitest/config";

// Two projects in one run. `web` (the React client's unit tests and its Pact consumer tests,
// which write pacts/) runs first; `server` (everything on a real PostgreSQL, including the
// provider verification of those pacts in tests/contract) runs after it, so it always verifies
// what the client's tests just wrote.

/** What the server's tests need: one PostgreSQL server per run, a database per file. */
export const serverTests = {
  include: ["tests/**/*.test.ts"],
  // Fixtures are run by tests, each through its own config (a failing test, say), never by the suite.
  exclude: [...configDefaults.exclude, "tests/fixtures/**"],
  globalSetup: ["tests/helpers/global-setup.ts"],
  setupFiles: ["tests/helpers/setup-file.ts"],
};

export default defineConfig({
  test: {
    // A bound on a hung test, not a measure: on two cores shared by several runs a test can take minutes.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two workers match the two cores we have.
    maxWorkers: 2,
    env: { PACT_DO_NOT_TRACK: "true" },
    projects: [
      {
        extends: true,
        test: { name: "web", include: ["web/**/*.test.ts"], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: "server", ...serverTests, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
