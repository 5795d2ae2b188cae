import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { hashPassword } from "../../src/modules/accounts/passwords.js";
import { createTestDatabase } from "../helpers/database.js";
import {
  authorizationRequest,
  authorize,
  Browser,
  discover,
  formOf,
  type IdentityServer,
  openLoginPage,
  redeem,
  signInForTokens,
  startIdentityServer,
} from "../helpers/oauth.js";

let server: IdentityServer;
let web: client.Configuration;
let prisma: PrismaClient;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  web = await discover(server, "stockroom-web");
  prisma = createPrismaClient(db.url, { poolSize: 2 });
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

/** A customer account of its own, so that one test's failed sign-ins do not count against another's. */
async function newAccount(name: string) {
  const password = `${name}-password`;
  await prisma.user.create({
    data: { email: `${name}@stockroom.test`, username: name, role: "customer", passwordHash: await hashPassword(password) },
  });
  return { email: `${name}@stockroom.test`, username: name, password };
}

/** The log lines of refused interaction forms written since `from`. */
const refusals = (from: number) =>
  server.logLines.slice(from).filter((line) => typeof line.reason === "string" && line.level === 40) as {
    msg: string;
    reason: string;
  }[];

const customer = ["customer@stockroom.test", "customer-demo-password"] as const;

async function loginPage(browser = new Browser()) {
  const request = await authorizationRequest(web, server, "openid blog:read");
  return { browser, request, page: await openLoginPage(browser, request.url) };
}

async function postLogin(browser: Browser, page: { form: { action: string; csrf: string } }, login: string, password: string) {
  return browser.request(new URL(page.form.action, server.publicUrl), { form: { csrf: page.form.csrf, login, password } });
}

describe("the login page", () => {
  it("is plain HTML with a CSRF token, a strict CSP and no script", async () => {
    const { browser, request } = await loginPage();
    const res = await browser.follow(request.url);
    const html = await res.res.text();
    expect(res.res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(res.res.headers.get("x-frame-options")).toBe("DENY");
    expect(html).not.toMatch(/<script/i);
    expect(formOf(html).csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const css = await fetch(`${server.publicUrl}/oauth/assets/stockroom.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("content-type")).toMatch(/^text\/css/);
  });

  it("answers a wrong password and an unknown account with the same generic error", async () => {
    const { browser, page } = await loginPage();
    const wrongPassword = await postLogin(browser, page, "staff@stockroom.test", "not-the-password");
    const unknownAccount = await postLogin(browser, page, "nobody@stockroom.test", "not-the-password");
    expect(wrongPassword.status).toBe(401);
    expect(unknownAccount.status).toBe(401);
    const message = (html: string) => /<p class="error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    const [a, b] = [message(await wrongPassword.text()), message(await unknownAccount.text())];
    expect(a).toBe("The email, username or password is not correct.");
    expect(b).toBe(a);
    expect(browser.cookieNames()).not.toContain("_session");
  });

  it("refuses a form without its CSRF token or posted from another site, and logs which check failed", async () => {
    const { browser, page } = await loginPage();
    const action = new URL(page.form.action, server.publicUrl);
    const credentials = { login: "customer@stockroom.test", password: "customer-demo-password" };
    const post = (form: Record<string, string>, headers: Record<string, string> = {}) =>
      browser.request(action, { form, headers });
    const logged = server.logLines.length;

    expect((await post(credentials)).status).toBe(403);
    expect((await post({ csrf: page.form.csrf, ...credentials }, { origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ csrf: page.form.csrf, ...credentials }, { "sec-fetch-site": "cross-site" })).status).toBe(403);
    expect((await post({ csrf: page.form.csrf, ...credentials }, { "sec-fetch-site": "same-site" })).status).toBe(403);
    // `Origin: null` alone is what a sandboxed frame or a cross-origin redirect sends: not proof of anything.
    expect((await post({ csrf: page.form.csrf, ...credentials }, { origin: "null" })).status).toBe(403);

    expect(refusals(logged).map((line) => line.reason)).toEqual([
      "the CSRF token is missing or not valid",
      `Origin https://evil.example is not ${server.publicUrl}`,
      "Sec-Fetch-Site is cross-site",
      "Sec-Fetch-Site is same-site",
      "Origin is null and Sec-Fetch-Site is missing",
    ]);
    expect(refusals(logged)[0]?.msg).toBe("sign-in refused: the CSRF token is missing or not valid");

    // The same form from our own origin signs in.
    expect((await postLogin(browser, page, "customer@stockroom.test", "customer-demo-password")).status).toBe(303);
  });

  it("accepts a same-origin form post that Fetch Metadata vouches for, even with Origin: null", async () => {
    const { browser, page } = await loginPage();
    const res = await browser.request(new URL(page.form.action, server.publicUrl), {
      form: { csrf: page.form.csrf, login: "customer@stockroom.test", password: "customer-demo-password" },
      headers: { origin: "null", "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(303);
  });

  it("sends a referrer policy under which browsers send the page's real Origin on its form posts", async () => {
    const { browser, request } = await loginPage();
    const { res } = await browser.follow(request.url);
    // Under no-referrer, Chromium sends `Origin: null` (Fetch §3.2.5); the browser test signs in for real.
    expect(res.headers.get("referrer-policy")).toBe("same-origin");
  });

  it("rate limits repeated failures for an account, even when the right password finally comes", async () => {
    const account = await newAccount("rate-limited");
    const { browser, page } = await loginPage();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await postLogin(browser, page, account.username, `guess-${attempt}`)).status).toBe(401);
    }
    const limited = await postLogin(browser, page, account.username, account.password);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await limited.text()).toContain("Too many failed attempts");
    // Another account is not locked out by someone else's failures.
    const other = await loginPage();
    expect((await postLogin(other.browser, other.page, "customer@stockroom.test", "customer-demo-password")).status).toBe(303);
  });

  it("counts failures per account, whether the email or the username was typed", async () => {
    const account = await newAccount("two-names");
    const { browser, page } = await loginPage();
    const logins = [account.email, account.username, account.email.toUpperCase(), account.username, account.email];
    for (const login of logins) expect((await postLogin(browser, page, login, "a-wrong-guess")).status).toBe(401);
    expect((await postLogin(browser, page, account.username, account.password)).status).toBe(429);
    expect((await postLogin(browser, page, account.email, account.password)).status).toBe(429);
  });

  it("counts unknown logins the same way, so the answers do not tell whether an account exists", async () => {
    const { browser, page } = await loginPage();
    const statuses = [];
    for (let attempt = 1; attempt <= 6; attempt++) statuses.push((await postLogin(browser, page, "ghost", "guess")).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it("checks at most 5 passwords of a burst of 20 concurrent guesses", async () => {
    const account = await newAccount("burst");
    const { browser, page } = await loginPage();
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => postLogin(browser, page, i % 2 ? account.email : account.username, `guess-${i}`)),
    );
    const statuses = burst.map((res) => res.status);
    // 401 means the password was checked (and wrong); 429 means it never reached the verifier.
    expect(statuses.filter((status) => status === 401)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    // The limit is reached: the right password is refused without being checked.
    expect((await postLogin(browser, page, account.email, account.password)).status).toBe(429);
    // …and the stored count is the number of passwords checked, not of attempts made.
    const { id } = await prisma.user.findUniqueOrThrow({ where: { username: account.username } });
    const counters = await prisma.loginRateLimit.findMany({ where: { key: { contains: `id:${id}|` } } });
    expect(counters.map((counter) => counter.points)).toEqual([5]);
  });
});

describe("authorization requests the server refuses", () => {
  it("does not redirect to a redirect URI that is not registered", async () => {
    const request = await authorizationRequest(web, server, "openid", { redirect_uri: "https://evil.example/callback" });
    const res = await new Browser().request(request.url);
    expect(res.status).toBe(400);
    expect(res.headers.get("location")).toBeNull();
    expect(await res.text()).toContain("redirect_uri");
  });

  it("requires PKCE: a request without code_challenge comes back with invalid_request", async () => {
    const url = new URL(`${server.issuer}/auth`);
    url.search = new URLSearchParams({
      client_id: "stockroom-web",
      response_type: "code",
      redirect_uri: server.callback,
      scope: "openid",
    }).toString();
    const res = await new Browser().request(url);
    const location = new URL(res.headers.get("location") ?? "");
    expect(location.origin + location.pathname).toBe(server.callback);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.get("error_description")).toContain("PKCE");
  });

  it("refuses a replayed code, and revokes what the code already minted", async () => {
    const { callback, checks } = await authorize(web, server, ...customer, "openid offline_access blog:read");
    const tokens = await redeem(web, server, callback, checks);
    await expect(client.authorizationCodeGrant(web, callback, checks, { resource: server.api })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    await expect(client.refreshTokenGrant(web, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("lets exactly one of two simultaneous redemptions of a code succeed", async () => {
    const { callback, checks } = await authorize(web, server, ...customer, "openid blog:read");
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => client.authorizationCodeGrant(web, callback, checks, { resource: server.api })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results.filter((r) => r.status === "rejected")) expect(r.reason).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a code redeemed with the wrong code_verifier", async () => {
    const { request, callback } = await authorize(web, server, ...customer, "openid blog:read");
    const wrong = { pkceCodeVerifier: client.randomPKCECodeVerifier(), expectedState: request.state };
    await expect(client.authorizationCodeGrant(web, callback, wrong, { resource: server.api })).rejects.toMatchObject({
      error: "invalid_grant",
    });
  });

  it("sends the user back with access_denied when they deny consent", async () => {
    const browser = new Browser();
    const request = await authorizationRequest(web, server, "openid blog:read");
    const page = await openLoginPage(browser, request.url);
    const consent = await browser.follow(new URL(page.form.action, server.publicUrl), {
      form: { csrf: page.form.csrf, login: "customer@stockroom.test", password: "customer-demo-password" },
    });
    const html = await consent.res.text();
    const deny = /<form method="post" action="([^"]+\/abort)">\s*<input type="hidden" name="csrf" value="([^"]+)">/.exec(html);
    const done = await browser.follow(new URL(deny?.[1] ?? "", server.publicUrl), { form: { csrf: deny?.[2] ?? "" } });
    expect(done.location?.searchParams.get("error")).toBe("access_denied");
  });
});

describe("signing out", () => {
  it("ends the session: its refresh tokens can no longer mint access tokens", async () => {
    const browser = new Browser();
    const { tokens } = await signInForTokens(web, server, ...customer, "openid offline_access blog:read", browser);
    const endSession = client.buildEndSessionUrl(web, { client_id: "stockroom-web" });
    const page = await browser.request(endSession);
    expect(page.status).toBe(200);
    const html = await page.text();
    const action = /<form id="op.logoutForm" method="post" action="([^"]+)">/.exec(html)?.[1] ?? "";
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const done = await browser.follow(action, { form: { xsrf, logout: "yes" } });
    expect(done.res.status).toBe(200);
    expect(await done.res.text()).toContain("You are signed out");
    await expect(client.refreshTokenGrant(web, tokens.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
