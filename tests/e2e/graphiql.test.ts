import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";

// The GraphQL explorer in a real Chromium: /graphql renders GraphiQL from this server's own files
// (the launcher aborts and reports any request off the machine, and any console or page error),
// loads the schema, and runs the query it opens with.

let server: IdentityServer;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
});
afterAll(() => server.stop());

describe("GraphiQL at /graphql", () => {
  it("renders offline, loads the schema and runs the default GetPosts query", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const response = await page.goto(`${server.publicUrl}/graphql`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-type"]).toContain("text/html");
      await page.locator(".graphiql-container").waitFor();
      // The schema is introspected: the documentation explorer can list the root types.
      await page.locator("button[aria-label='Show Documentation Explorer']").click();
      await page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }).first().waitFor();

      await page.locator(".graphiql-execute-button").click();
      const result = page.locator(".result-window");
      await expect.poll(() => result.textContent(), { timeout: 15_000 }).toContain("Welcome to the Stockroom blog");
      expect(await result.textContent()).toContain('"username"');
    });
  });
});
