import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll } from "vitest";

// The browser tests run the React client as built from the sources now (not whatever web/dist
// holds): each file builds it into a folder of its own, which the server serves (WEB_DIST_DIR).

const configFile = fileURLToPath(new URL("../../web/vite.config.ts", import.meta.url));

/** Builds web/ into a temporary folder, removed after the file; returns the env that makes a server serve it. */
export async function buildWebClient(): Promise<{ WEB_DIST_DIR: string }> {
  const outDir = await mkdtemp(path.join(tmpdir(), "stockroom-web-dist-"));
  const { build } = await import("vite");
  // Vite takes a production build's NODE_ENV from the environment, which vitest sets to "test".
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({ configFile, mode: "production", logLevel: "error", build: { outDir, emptyOutDir: true, sourcemap: false } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  afterAll(() => rm(outDir, { recursive: true, force: true }));
  return { WEB_DIST_DIR: outDir };
}

/** Screenshots for a person to look at: tests/e2e/screenshots/<name>-<width>.png (ignored by git). */
export const screenshotsDir = fileURLToPath(new URL("../e2e/screenshots", import.meta.url));

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 },
} as const;

/** Takes the page at desktop and at phone width (the whole page, or the viewport: a modal dialog covers only that), then restores the desktop size. */
export async function screenshotBothWidths(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  for (const [label, size] of Object.entries(viewports)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: path.join(screenshotsDir, `${name}-${label}.png`), fullPage: options.fullPage ?? true });
  }
  await page.setViewportSize(viewports.desktop);
}

/** Signs in through the client: its Sign in button, the provider's real sign-in and consent pages, back to the app. */
export async function signInThroughPages(page: Page, login: string, password: string): Promise<void> {
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForSelector("#login");
  await page.fill("#login", login);
  await page.fill("#password", password);
  await page.click("button[type=submit]:has-text('Sign in')");
  await page.waitForSelector("h1:has-text('Allow')");
  await page.click("button[type=submit]:has-text('Allow')");
  await page.waitForSelector("[data-testid=signed-in-user]");
}
