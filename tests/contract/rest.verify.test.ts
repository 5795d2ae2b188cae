import { Verifier } from "@pact-foundation/pact";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";
import { pactFile } from "./pacts.js";
import { productWithStock, restCall } from "./stockroom-api.js";

// Provider verification of the web client's REST contract (pacts/stockroom-web-stockroom-rest.json,
// written by web/tests/pact/rest.pact.test.ts) against the real server on a real, seeded database.
// Each provider state sets up what its interaction needs and hands back the values (ids, cursors,
// a real access token) that the interaction's requests take from it.

let server: IdentityServer;
let staff: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
});
afterAll(() => server?.stop());

const stateHandlers = {
  "products in several categories exist": async () => {
    const categories = await restCall<{ data: { id: number; slug: string }[] }>(server, undefined, "GET", "/categories");
    expect(categories.data.length).toBeGreaterThan(1);
    const coffee = categories.data.find((category) => category.slug === "coffee") ?? categories.data[0];
    return { categoryId: String(coffee?.id) };
  },
  "products span more than one page when sorted by name": async () => {
    const first = await restCall<{ page: { nextCursor: string | null } }>(
      server,
      undefined,
      "GET",
      "/products?limit=12&sort=name&include=category",
    );
    if (!first.page.nextCursor) throw new Error("the seeded catalog fits on one page of 12");
    return { cursor: first.page.nextCursor };
  },
  "a product with stock exists": async () => productWithStock(server, staff, 40),
  "a product whose stock moved on past version 1": async () => productWithStock(server, staff, 40, 2),
  "the caller holds a token of a staff user with inventory:write": async () => ({ accessToken: staff }),
};

describe("the web client's REST contract", () => {
  it("holds against the real server", async () => {
    const output = await new Verifier({
      provider: "stockroom-rest",
      providerBaseUrl: server.url,
      pactUrls: [pactFile("stockroom-rest")],
      stateHandlers,
      logLevel: "warn",
    }).verifyProvider();
    expect(output).toBeDefined();
  });
});
