import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";

// The API documentation in a real Chromium: Swagger UI's Authorize (code + PKCE against our own
// provider) ends with a token the API takes, and neither /docs nor /redoc reaches off the machine
// (the launcher aborts and reports any such request).

let server: IdentityServer;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
});
afterAll(() => server.stop());

describe("the API documentation in a browser", () => {
  it("Swagger UI: Authorize signs in with PKCE, and Try it out on a protected write answers 201", async () => {
    const products = (await (await fetch(`${server.api}/v2/products?limit=1`)).json()) as { data: { id: number }[] };
    const productId = products.data[0]?.id;
    expect(productId).toBeTypeOf("number");

    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(`${server.publicUrl}/docs`);
      await page.click("button.authorize");
      const dialog = page.locator(".modal-ux");
      await dialog.waitFor();
      // Only the flow stockroom-web can use is offered.
      expect(await dialog.textContent()).toContain("authorizationCode");
      expect(await dialog.textContent()).not.toContain("clientCredentials");

      const [popup] = await Promise.all([
        page.context().waitForEvent("page"),
        dialog.locator("button.modal-btn.authorize").click(),
      ]);
      await popup.waitForSelector("#login");
      await popup.fill("#login", "staff@stockroom.test");
      await popup.fill("#password", "staff-demo-password");
      await popup.click("button[type=submit]:has-text('Sign in')");
      await popup.waitForSelector("h1:has-text('Allow')");
      await Promise.all([popup.waitForEvent("close"), popup.click("button[type=submit]:has-text('Allow')")]);

      // Authorized: the dialog now offers to log out; close it.
      await dialog.locator("button:has-text('Logout')").waitFor();
      await dialog.locator("button:has-text('Close')").click();

      const operation = page.locator("#operations-Inventory-adjustStock");
      await operation.locator(".opblock-summary").click();
      await operation.locator("button.try-out__btn").click();
      await operation.locator("input[placeholder='id']").fill(String(productId));
      await operation
        .locator("textarea.body-param__text")
        .fill(JSON.stringify({ kind: "receive", quantity: 3, reason: "delivery" }));
      await operation.locator("button.execute").click();
      const status = operation.locator(".live-responses-table .response .response-col_status");
      await status.waitFor();
      expect((await status.textContent())?.trim()).toBe("201");
    });
  });

  it("Redoc renders both versions without any request off the machine", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      for (const version of [2, 1]) {
        await page.goto(`${server.publicUrl}/redoc?v=${version}`);
        await page.waitForSelector(`h1:has-text('Stockroom API v${version}')`);
        await page.waitForLoadState("networkidle");
      }
    });
  });
});
