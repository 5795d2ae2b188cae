import { createRequire } from "node:module";
import { configDefaults, defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS (main) and ES modules (module). Node, and so every package that
    // imports graphql, loads the CommonJS build; Vite would hand our own files the ES build, and
    // graphql refuses to mix objects of the two ("from another module or realm").
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["tests/**/*.test.ts"],
    // Fixtures are run by tests, each through its own config (a failing test, say), never by the suite.
    exclude: [...configDefaults.exclude, "tests/fixtures/**"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/setup-file.ts"],
    // A bound on a hung test, not a measure: on two cores shared by several runs a test can take minutes.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    // Each file gets its own database; two workers match the two cores we have.
    maxWorkers: 2,
    env: { PACT_DO_NOT_TRACK: "true" },
  },
});
