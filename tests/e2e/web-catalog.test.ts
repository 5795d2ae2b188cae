import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { staffToken } from "../helpers/tokens.js";
import { buildWebClient, screenshotBothWidths, signInThroughPages } from "../helpers/web-client.js";

// The React client in a real Chromium against the real server: sign-in through the provider's
// real pages, the catalog with stock that moves live over the socket, a staff movement refused
// with 409 in words, reload and sign-out. The browser helper fails the test on any console error
// and on any request off the machine.

let server: IdentityServer;
let apiToken: string;

beforeAll(async () => {
  const [db, web] = await Promise.all([createTestDatabase(), buildWebClient()]);
  server = await startIdentityServer(db.url, web);
  apiToken = await staffToken(server, "inventory:write");
});
afterAll(() => server?.stop());

type Stock = { productId: number; available: number; version: number };

/** A stock movement through the REST API, as another client (not the page) would make it. */
async function receive(productId: number, quantity: number): Promise<Stock> {
  const res = await fetch(`${server.api}/v2/products/${productId}/stock/adjustments`, {
    method: "POST",
    headers: { authorization: `Bearer ${apiToken}`, "content-type": "application/json" },
    body: JSON.stringify({ kind: "receive", quantity, reason: "e2e delivery" }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Stock;
}

const stockText = (page: Page, productId: number) => page.textContent(`[data-testid=stock-${productId}]`);

/** The first product on the page, by its data-testid. */
async function firstProductId(page: Page): Promise<number> {
  const testId = await page.locator("[data-testid^=product-]").first().getAttribute("data-testid");
  return Number(testId?.replace("product-", ""));
}

describe("the web client's catalog", () => {
  it("shows the catalog to anyone, signs a staff member in through the real pages, and shows stock moved by an API call within a second", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(server.publicUrl);
      await page.waitForSelector("[data-testid^=product-]");
      await page.waitForSelector("[data-testid=connection-status]:text-is('live')");
      await screenshotBothWidths(page, "catalog-anonymous");

      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForSelector("#login");
      await screenshotBothWidths(page, "provider-sign-in");
      await page.fill("#login", "staff@stockroom.test");
      await page.fill("#password", "staff-demo-password");
      await page.click("button[type=submit]:has-text('Sign in')");
      await page.waitForSelector("h1:has-text('Allow')");
      await screenshotBothWidths(page, "provider-consent");
      await page.click("button[type=submit]:has-text('Allow')");
      await page.waitForSelector("[data-testid=signed-in-user]");
      expect(await page.textContent("[data-testid=signed-in-user]")).toBe("sam-staff");
      expect(await page.textContent(".user-menu__roles")).toBe("staff");
      expect(new URL(page.url()).pathname).toBe("/");

      const productId = await firstProductId(page);
      await page.waitForSelector("[data-testid=connection-status]:text-is('live')");
      const shown = Number(await stockText(page, productId));
      const answer = await receive(productId, 3);
      expect(answer.available).toBe(shown + 3);
      const answered = Date.now();
      await page.waitForSelector(`[data-testid=stock-${productId}]:text-is('${answer.available}')`, { timeout: 1000 });
      expect(Date.now() - answered).toBeLessThan(1000);
      await screenshotBothWidths(page, "catalog-staff");
    });
  });

  it("filters by category, searches, sorts and pages with cursors", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(server.publicUrl);
      await page.waitForSelector("[data-testid^=product-]");
      expect(await page.locator("[data-testid^=product-]").count()).toBe(12);
      const first = await firstProductId(page);

      await page.getByRole("button", { name: "Next page" }).click();
      await page.waitForURL((url) => url.searchParams.has("cursor"));
      await page.waitForSelector("[data-testid^=product-]");
      // Focus moves to the results, so a keyboard user continues from there.
      expect(await page.locator(":focus").getAttribute("aria-labelledby")).toBe("results-heading");
      expect(await firstProductId(page)).not.toBe(first);
      await page.getByRole("button", { name: "Previous page" }).click();
      await expect.poll(() => firstProductId(page)).toBe(first);

      await page.getByLabel("Category").selectOption({ label: "Tea" });
      await page.waitForURL((url) => url.searchParams.has("category"));
      await page.waitForSelector(".results[aria-busy=false]");
      expect(new Set(await page.locator(".product .badge").allTextContents())).toEqual(new Set(["Tea"]));

      await page.getByLabel("Sort by").selectOption({ label: "Price, high to low" });
      await page.waitForURL((url) => url.searchParams.get("sort") === "-price");
      await page.waitForSelector(".results[aria-busy=false]");
      const prices = await page.locator(".product__price").allTextContents();
      const amounts = prices.map((price) => Number(price.replace(/[^0-9.]/g, "")));
      expect(amounts).toEqual([...amounts].sort((a, b) => b - a));

      await page.getByLabel("Category").selectOption({ label: "All categories" });
      await page.getByRole("searchbox", { name: "Search" }).fill("espresso");
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === "espresso");
      await expect.poll(() => page.locator("[data-testid^=product-]").count()).toBe(1);
      expect(await page.textContent(".product__name")).toContain("Espresso");

      await page.getByRole("searchbox", { name: "Search" }).fill("no such thing anywhere");
      await page.keyboard.press("Enter");
      await page.waitForSelector("text=No product matches these filters.");
      await screenshotBothWidths(page, "catalog-empty");
    });
  });

  it("shows a conflicting staff movement's 409 in words, keeps the session over a reload, and signs out through the provider", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(server.publicUrl);
      await page.waitForSelector("[data-testid^=product-]");
      await signInThroughPages(page, "staff@stockroom.test", "staff-demo-password");
      await page.waitForSelector("[data-testid=connection-status]:text-is('live')");
      const productId = await firstProductId(page);
      const product = page.locator(`[data-testid=product-${productId}]`);

      // Opened by keyboard: focus lands in the dialog.
      await product.getByRole("button", { name: "Change stock" }).focus();
      await page.keyboard.press("Enter");
      const dialog = page.getByRole("dialog");
      await dialog.waitFor();
      expect(await dialog.locator(":focus").count()).toBe(1);
      await screenshotBothWidths(page, "stock-dialog", { fullPage: false });

      // Someone else moves the stock while the form is open; the page shows it, the form still holds the old version.
      const moved = await receive(productId, 2);
      await page.waitForSelector(`[data-testid=stock-${productId}]:text-is('${moved.available}')`);
      await dialog.getByLabel("Quantity").fill("4");
      browser.expectFailedRequest(409, /\/stock\/adjustments$/);
      await dialog.getByRole("button", { name: "Record movement" }).click();
      const refusal = dialog.getByRole("alert");
      await refusal.waitFor();
      expect(await refusal.textContent()).toMatch(/^Not recorded: the stock of .+ changed since you opened this form/);
      expect(await stockText(page, productId)).toBe(String(moved.available));
      await screenshotBothWidths(page, "stock-dialog-conflict", { fullPage: false });

      // Submitting again now goes through; the new level arrives over the socket.
      await dialog.getByRole("button", { name: "Record movement" }).click();
      await dialog.getByRole("status").filter({ hasText: "Recorded" }).waitFor();
      await page.waitForSelector(`[data-testid=stock-${productId}]:text-is('${moved.available + 4}')`);
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      expect(await page.locator(":focus").textContent()).toBe("Change stock");

      // Tokens live in memory only: a reload signs in again silently through the provider's session.
      await page.reload();
      await page.waitForSelector("[data-testid=signed-in-user]");
      expect(await page.textContent("[data-testid=signed-in-user]")).toBe("sam-staff");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForSelector("h1:has-text('Sign out of')");
      await screenshotBothWidths(page, "provider-sign-out");
      await page.click("button[name=logout][value=yes]");
      await page.waitForURL((url) => url.origin === server.publicUrl && url.pathname === "/");
      await page.getByRole("button", { name: "Sign in" }).waitFor();
      // The provider's session is gone too: signing in asks for the password again.
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForSelector("#password");
    });
  });
});
