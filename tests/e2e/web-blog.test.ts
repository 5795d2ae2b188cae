import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { buildWebClient, screenshotBothWidths, signInThroughPages } from "../helpers/web-client.js";

// The React client's blog in a real Chromium against the real server: sign in through the
// provider's real pages and write a post over GraphQL; then two browsers on one post, comments
// through the socket appearing once in the other, and one browser offline and back, resuming
// without missing or doubling a comment. The browser helper fails a test on any console error
// and on any request off the machine.

let server: IdentityServer;

beforeAll(async () => {
  const [db, web] = await Promise.all([createTestDatabase(), buildWebClient()]);
  server = await startIdentityServer(db.url, web);
});
afterAll(() => server?.stop());

const staff = { login: "staff@stockroom.test", password: "staff-demo-password" };
const customer = { login: "customer@stockroom.test", password: "customer-demo-password" };

/** The GraphQL id of the newest post, as the blog list links to it. */
async function newestPostId(): Promise<string> {
  const res = await fetch(`${server.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ posts(limit: 1) { id } }" }),
  });
  const body = (await res.json()) as { data: { posts: { id: string }[] } };
  const id = body.data.posts[0]?.id;
  if (!id) throw new Error("the seed has no posts");
  return id;
}

/** Every console warning of the pages it is given (the browser helper fails a test on errors; these pages have no warnings either). */
function warningsOf(...pages: Page[]): string[] {
  const warnings: string[] = [];
  for (const page of pages) {
    page.on("console", (message) => {
      if (message.type() === "warning") warnings.push(`${page.url()}: ${message.text()}`);
    });
  }
  return warnings;
}

const status = (page: Page, value: "live" | "reconnecting") =>
  page.waitForSelector(`[data-testid=connection-status]:text-is('${value}')`);

/** The confirmed comments on the page whose text is exactly `text`. */
const commentsWithText = (page: Page, text: string) =>
  page.locator("[data-testid^=comment-]").filter({ has: page.locator(".comment__text", { hasText: new RegExp(`^${text}$`) }) });

/** Posts a comment through the page's form (over the socket), by its button or Ctrl+Enter, and waits until the ack confirms it. */
async function comment(page: Page, text: string, options: { byKeyboard?: boolean } = {}): Promise<void> {
  await page.getByLabel("Your comment").fill(text);
  if (options.byKeyboard) await page.getByLabel("Your comment").press("Control+Enter");
  else await page.getByRole("button", { name: "Post comment" }).click();
  await commentsWithText(page, text).waitFor();
  // The form is ready for the next one, focus still in it.
  expect(await page.getByLabel("Your comment").inputValue()).toBe("");
}

describe("the web client's blog", () => {
  it("lists posts to anyone, and a signed-in reader writes one over GraphQL (a refused title shown in words)", async () => {
    await withBrowser(async (browser) => {
      const page = await browser.newPage();
      const warnings = warningsOf(page);
      await page.goto(`${server.publicUrl}/blog`);
      await page.waitForSelector(".post-list li");
      await page.getByText("Sign in to write a post or a comment.").waitFor();
      await screenshotBothWidths(page, "blog-anonymous");

      await signInThroughPages(page, customer.login, customer.password);
      expect(await page.textContent("[data-testid=signed-in-user]")).toBe("casey-customer");
      expect(new URL(page.url()).pathname).toBe("/blog");
      const form = page.getByRole("form", { name: "Write a post" });
      await form.waitFor();

      // No title: the payload's typed error names the field, focus goes to the sentence.
      await form.getByLabel("Text").fill("A body without a title.");
      await form.getByRole("button", { name: "Publish" }).click();
      const refusal = form.getByRole("alert");
      await refusal.filter({ hasText: "Not published." }).waitFor();
      expect(await refusal.textContent()).toMatch(/^Not published\. Title: /);
      expect(await form.getByLabel("Title").getAttribute("aria-invalid")).toBe("true");
      await screenshotBothWidths(page, "blog-write-refused");

      const title = `Cold brew, slowly ${Date.now()}`;
      await form.getByLabel("Title").fill(title);
      await form.getByLabel("Text").fill("Twelve hours in the fridge.\n\nA coarse grind, and patience.");
      await form.getByRole("button", { name: "Publish" }).click();
      await page.waitForSelector(`h1:text-is('${title}')`);
      expect(new URL(page.url()).pathname).toMatch(/^\/blog\/[^/]+$/);
      expect(await page.locator(".post__content p").allTextContents()).toEqual([
        "Twelve hours in the fridge.",
        "A coarse grind, and patience.",
      ]);
      expect(await page.title()).toBe(`${title} · Stockroom`);
      const blogNav = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Blog", exact: true });
      expect(await blogNav.getAttribute("aria-current")).toBe("true");
      // Arriving on the post puts focus on its heading, as a page load would.
      expect(await page.locator(":focus").textContent()).toBe(title);
      await status(page, "live");
      await screenshotBothWidths(page, "post-new");

      await page.getByRole("link", { name: "← All posts" }).click();
      await page.waitForSelector(".post-list li");
      expect(await page.locator(".post-card__title").first().textContent()).toBe(title);
      await screenshotBothWidths(page, "blog-signed-in");

      await page.getByRole("link", { name: "API" }).click();
      await page.waitForSelector(".link-list");
      await page.getByText("GraphQL CreatePost").first().waitFor();
      await screenshotBothWidths(page, "api-page");

      // By keyboard: a post's link opens it and focus lands on its heading.
      await blogNav.click();
      const firstLink = page.locator(".post-card__title a").first();
      await firstLink.focus();
      await page.keyboard.press("Enter");
      await page.waitForSelector(`h1:text-is('${title}')`);
      expect(await page.locator(":focus").textContent()).toBe(title);
      expect(warnings).toEqual([]);
    });
  });

  it("two browsers on one post: a comment shows in the other once; offline and back, the missed comment shows once", async () => {
    const postUrl = `${server.publicUrl}/blog/${encodeURIComponent(await newestPostId())}`;
    await withBrowser(async (writer) => {
      await withBrowser(async (reader) => {
        const a = await writer.newPage();
        const b = await reader.newPage();
        const warnings = warningsOf(a, b);
        for (const [page, who] of [
          [a, staff],
          [b, customer],
        ] as const) {
          await page.goto(postUrl);
          await page.waitForSelector(".comments");
          await signInThroughPages(page, who.login, who.password);
          await status(page, "live");
        }
        const before = await b.locator("[data-testid^=comment-]").count();
        expect(await a.locator("[data-testid^=comment-]").count()).toBe(before);

        const first = `First from staff ${Date.now()}`;
        await comment(a, first);
        await commentsWithText(b, first).waitFor();
        expect(await commentsWithText(b, first).count()).toBe(1);
        expect(await commentsWithText(a, first).count()).toBe(1);
        await screenshotBothWidths(b, "post-comments");

        await reader.context.setOffline(true);
        await status(b, "reconnecting");
        const missed = `Posted while the other was offline ${Date.now()}`;
        await comment(a, missed);
        await screenshotBothWidths(b, "post-offline");
        expect(await commentsWithText(b, missed).count()).toBe(0);

        await reader.context.setOffline(false);
        await status(b, "live");
        await commentsWithText(b, missed).waitFor();
        expect(await commentsWithText(b, missed).count()).toBe(1);
        expect(await commentsWithText(b, first).count()).toBe(1);
        expect(await b.locator("[data-testid^=comment-]").count()).toBe(before + 2);
        expect(await a.locator("[data-testid^=comment-]").count()).toBe(before + 2);

        // And the other way round, after the resume: the reader's comment reaches the writer once.
        const reply = `Reply after coming back ${Date.now()}`;
        await comment(b, reply, { byKeyboard: true });
        expect(await b.locator(":focus").getAttribute("aria-describedby")).toMatch(/-hint$/);
        await commentsWithText(a, reply).waitFor();
        expect(await commentsWithText(a, reply).count()).toBe(1);
        expect(await commentsWithText(b, reply).count()).toBe(1);

        // A comment the server refuses stays on the page, marked, with the reason in words.
        await b.getByLabel("Your comment").fill("   ");
        await b.getByRole("button", { name: "Post comment" }).click();
        const refusal = b.locator(".comment--failed").getByRole("alert");
        await refusal.waitFor();
        expect(await refusal.locator("p").textContent()).toMatch(/^Not posted: text: /);
        await screenshotBothWidths(b, "post-comment-refused");
        await refusal.getByRole("button", { name: "Dismiss" }).click();
        await refusal.waitFor({ state: "detached" });
        expect(await b.locator("[data-testid^=comment-]").count()).toBe(before + 3);
        expect(warnings).toEqual([]);
      });
    });
  });
});
