import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

// Real Chromium (Debian's, /usr/bin/chromium) driven by playwright-core, for end-to-end tests.
// Every browser it starts has a fresh profile and two tripwires, reported by `close()`:
// any console error or uncaught page error, and any request to a host other than this machine
// (it is aborted, so nothing leaves the machine even while the test goes on).

/** Where Debian installs Chromium (`apt-get install -y chromium`; `.ci/run` does it when missing). */
export const chromiumPath = "/usr/bin/chromium";

// The flags of /work/shared/ENVIRONMENT.md: headless, no sandbox (CI runs as root), nothing that
// phones home (component updates, sync, background networking) and no QUIC.
const chromiumArgs = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const localHosts = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** True when `url` stays on this machine (loopback, or a URL with no network at all such as data: or blob:). */
export function staysOnMachine(url: string): boolean {
  const parsed = URL.parse(url);
  if (!parsed) return false;
  if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol)) return true;
  return localHosts.has(parsed.hostname) || parsed.hostname.endsWith(".localhost");
}

export type TestBrowser = {
  context: BrowserContext;
  /** Opens a page; its console errors and page errors are recorded. */
  newPage(): Promise<Page>;
  /**
   * Announces one request the test makes fail on purpose (a 409 it provokes, say): Chromium logs
   * every 4xx/5xx answer as a console error, and this one is then not counted as a problem.
   */
  expectFailedRequest(status: number, url: RegExp): void;
  /** Everything that went wrong so far: console errors, page errors, off-machine requests. */
  problems(): string[];
  /** Closes the browser and throws if anything went wrong while it was open. */
  close(): Promise<void>;
};

/** Starts Chromium with a fresh user-data-dir. Call `close()` at the end of the test: it fails the test on any problem. */
export async function launchBrowser(options: { baseURL?: string } = {}): Promise<TestBrowser> {
  const userDataDir = await mkdtemp(path.join(tmpdir(), "stockroom-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: chromiumArgs,
    headless: true,
    baseURL: options.baseURL,
    serviceWorkers: "block",
  });
  const found: string[] = [];
  const expectedFailures: { status: number; url: RegExp }[] = [];
  // Chromium's own line for an error answer: "Failed to load resource: the server responded with a status of 409 (Conflict)".
  const isExpectedFailure = (text: string, url: string) => {
    const status = Number(/^Failed to load resource: the server responded with a status of (\d{3})/.exec(text)?.[1]);
    const at = expectedFailures.findIndex((e) => e.status === status && e.url.test(url));
    if (at === -1) return false;
    expectedFailures.splice(at, 1);
    return true;
  };
  await context.route(
    (url) => !staysOnMachine(url.toString()),
    async (route) => {
      found.push(`request off the machine: ${route.request().method()} ${route.request().url()}`);
      await route.abort("blockedbyclient");
    },
  );
  await context.routeWebSocket(
    (url) => !staysOnMachine(url.toString()),
    async (socket) => {
      found.push(`WebSocket off the machine: ${socket.url()}`);
      await socket.close();
    },
  );
  const watch = (page: Page) => {
    page.on("console", (message) => {
      if (message.type() !== "error" || isExpectedFailure(message.text(), message.location().url)) return;
      found.push(`console error on ${page.url()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => found.push(`page error on ${page.url()}: ${error.message}`));
  };
  for (const page of context.pages()) watch(page);
  // Popups (an OAuth sign-in window) are watched as well.
  context.on("page", watch);

  return {
    context,
    async newPage() {
      return context.newPage();
    },
    expectFailedRequest: (status, url) => {
      expectedFailures.push({ status, url });
    },
    problems: () => [...found],
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
      if (found.length > 0) throw new Error(`the browser reported problems:\n${found.join("\n")}`);
    },
  };
}

/** Runs `test` with a fresh browser and closes it afterwards; fails on the test's error or on any problem the browser saw. */
export async function withBrowser<T>(test: (browser: TestBrowser) => Promise<T>, options?: { baseURL?: string }): Promise<T> {
  const browser = await launchBrowser(options);
  let result: T;
  try {
    result = await test(browser);
  } catch (error) {
    const problems = browser.problems();
    await browser.close().catch(() => undefined);
    if (problems.length > 0 && error instanceof Error) error.message += `\n(the browser also reported:\n${problems.join("\n")})`;
    throw error;
  }
  await browser.close();
  return result;
}
