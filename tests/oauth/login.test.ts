import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  web = await discover(server, "stockroom-web");
});
afterAll(() => server.stop());

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

  it("refuses a form without its CSRF token or posted from another site", async () => {
    const { browser, page } = await loginPage();
    const action = new URL(page.form.action, server.publicUrl);
    const noToken = await browser.request(action, {
      form: { login: "customer@stockroom.test", password: "customer-demo-password" },
    });
    expect(noToken.status).toBe(403);
    const crossSite = await browser.request(action, {
      form: { csrf: page.form.csrf, login: "customer@stockroom.test", password: "customer-demo-password" },
      headers: { origin: "https://evil.example" },
    });
    expect(crossSite.status).toBe(403);
    // The same form from our own origin signs in.
    expect((await postLogin(browser, page, "customer@stockroom.test", "customer-demo-password")).status).toBe(303);
  });

  it("rate limits repeated failures for an account, even when the right password finally comes", async () => {
    const { browser, page } = await loginPage();
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect((await postLogin(browser, page, "sam-staff", `guess-${attempt}`)).status).toBe(401);
    }
    const limited = await postLogin(browser, page, "sam-staff", "staff-demo-password");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(await limited.text()).toContain("Too many failed attempts");
    // Another account is not locked out by someone else's failures.
    const other = await loginPage();
    expect((await postLogin(other.browser, other.page, "customer@stockroom.test", "customer-demo-password")).status).toBe(303);
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
