import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
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
