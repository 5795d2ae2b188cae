import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

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
  resolve: {
    // graphql 16 ships CommonJS (main) and ES modules (module). Node, and so every package that
    // imports graphql, loads the CommonJS build; Vite would hand our own files the ES build, and
    // graphql refuses to mix objects of the two ("from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
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
