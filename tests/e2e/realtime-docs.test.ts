import type { AddressInfo } from "node:net";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";

// /docs/realtime in a real Chromium: the AsyncAPI React component renders the WebSocket protocol
// from the server's own copy of its bundle, with no console error and no request off the machine
// (the launcher fails the test on either).
let baseUrl: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  const { server } = await createTestApp(db.url);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

describe("the WebSocket protocol's documentation in a browser", () => {
  it("renders the AsyncAPI document: its title, channels, frames and examples", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/docs/realtime`);
      // The component renders the title twice, once in its sidebar (hidden on narrow screens).
      await page.getByText("Stockroom realtime 1.0.0", { exact: true }).filter({ visible: true }).waitFor();
      const text = (await page.locator("#asyncapi").textContent()) ?? "";
      for (const shown of ["/ws/posts/{postId}/comments", "/ws/products/{productId}/inventory", "Close codes", "4401"]) {
        expect(text).toContain(shown);
      }
      // Frames by name, and an example of one.
      for (const frame of ["CommentAdded", "subscribe", "authenticated"]) {
        await page.getByText(frame, { exact: true }).filter({ visible: true }).first().waitFor();
      }
      expect(text).toContain("sam-staff");
      await page.waitForLoadState("networkidle");
    });
  });

  // The JSON index at / links it too (tests/rest/home.test.ts); browsers get the React client there.
  it("is linked from the REST docs (Swagger UI)", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(`${baseUrl}/docs`);
      // Swagger UI opens description links in a new tab.
      const link = page.locator("a[href='/docs/realtime']").first();
      const [opened] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
      await opened.getByText("Stockroom realtime 1.0.0", { exact: true }).filter({ visible: true }).waitFor();
      expect(opened.url()).toBe(`${baseUrl}/docs/realtime`);
    });
  });
});
