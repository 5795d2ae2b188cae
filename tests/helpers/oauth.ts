import * as client from "openid-client";
import { expect } from "vitest";
import { startStockroom } from "../../src/start.js";
import { capturingLogger, testConfig } from "./app.js";
import { freePort } from "./process.js";

/**
 * A real, listening Stockroom whose PUBLIC_URL is the address it listens on, so the issuer in
 * its tokens and discovery document is the one the test reaches. `restart()` stops it and
 * starts it again on the same port and database (a process restart, as far as the data goes);
 * `restart({ PORT, PUBLIC_URL })` moves it. Its log lines are kept in `logLines`.
 */
export async function startIdentityServer(databaseUrl: string, env: Record<string, string> = {}) {
  const port = await freePort();
  const { logger, lines } = capturingLogger();
  const server = {
    publicUrl: "",
    issuer: "",
    api: "",
    callback: "",
    /** Where this instance listens (differs from publicUrl when several instances share one PUBLIC_URL). */
    url: "",
    logLines: lines,
    stop: () => running.stop(),
    async restart(changes: Record<string, string> = {}) {
      await running.stop();
      Object.assign(current, changes);
      running = await start();
    },
  };
  const current: Record<string, string> = { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env };
  const start = async () => {
    const config = testConfig(databaseUrl, current);
    const started = await startStockroom(config, logger);
    Object.assign(server, {
      publicUrl: config.publicUrl,
      issuer: `${config.publicUrl}/oauth`,
      api: `${config.publicUrl}/api`,
      callback: `${config.publicUrl}/callback`,
      url: started.url,
    });
    return started;
  };
  let running = await start();
  return server;
}

export type IdentityServer = Awaited<ReturnType<typeof startIdentityServer>>;

/** openid-client configured for `clientId` from the server's discovery document (plain http allowed: it is local). */
export function discover(server: IdentityServer, clientId: string, auth: client.ClientAuth = client.None()) {
  return client.discovery(new URL(server.issuer), clientId, undefined, auth, { execute: [client.allowInsecureRequests] });
}

type Cookie = { name: string; value: string; path: string };

/** A minimal browser: a cookie jar that honours Path and deletion, and manual redirects. */
export class Browser {
  private readonly jar = new Map<string, Cookie>();

  /** One request, no redirect followed; cookies sent and stored. Forms are posted from `url`'s origin. */
  async request(
    url: string | URL,
    init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {},
  ) {
    const target = new URL(url);
    const cookie = [...this.jar.values()]
      .filter((c) => target.pathname === c.path || target.pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
    const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...init.headers };
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin ??= target.origin;
    }
    const res = await fetch(target, {
      method: init.method ?? (init.form ? "POST" : "GET"),
      redirect: "manual",
      headers,
      body: init.form ? new URLSearchParams(init.form) : undefined,
    });
    for (const line of res.headers.getSetCookie()) this.store(line, target);
    return res;
  }

  /** Follows redirects while they stay inside the authorization server; returns the last response and where it pointed. */
  async follow(url: string | URL, init: Parameters<Browser["request"]>[1] = {}) {
    let res = await this.request(url, init);
    let at = new URL(url);
    for (let hops = 0; res.status >= 300 && res.status < 400; hops++) {
      if (hops > 10) throw new Error("too many redirects");
      const next = new URL(res.headers.get("location") ?? "", at);
      if (next.origin !== at.origin || !next.pathname.startsWith("/oauth/")) return { res, location: next };
      await res.body?.cancel();
      at = next;
      res = await this.request(next);
    }
    return { res, location: undefined };
  }

  /** Names of the cookies held for `url`. */
  cookieNames(): string[] {
    return [...this.jar.values()].map((c) => c.name);
  }

  private store(line: string, from: URL) {
    const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
    const eq = pair.indexOf("=");
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (key: string) => attributes.find((a) => a.toLowerCase().startsWith(`${key}=`))?.split("=")[1];
    const path = attr("path") ?? from.pathname.replace(/\/[^/]*$/, "") ?? "/";
    const expires = attr("expires");
    const maxAge = attr("max-age");
    const gone =
      (maxAge !== undefined && Number(maxAge) <= 0) ||
      (expires !== undefined && Date.parse(expires) < Date.now()) ||
      value === "";
    if (gone) this.jar.delete(`${name}|${path}`);
    else this.jar.set(`${name}|${path}`, { name, value, path: path || "/" });
  }
}

/** The first form of an interaction page: its action and hidden CSRF token. */
export function formOf(html: string): { action: string; csrf: string } {
  const match = /<form method="post" action="([^"]+)">\s*<input type="hidden" name="csrf" value="([^"]+)">/.exec(html);
  if (!match?.[1] || !match[2]) throw new Error(`no interaction form in:\n${html}`);
  return { action: match[1].replaceAll("&amp;", "&"), csrf: match[2] };
}

/** Starts an authorization request and returns the login page the browser lands on. */
export async function openLoginPage(browser: Browser, authorizationUrl: URL) {
  const { res } = await browser.follow(authorizationUrl);
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('name="password"');
  return { url: res.url, html, form: formOf(html) };
}

/** Signs in on the login page, consents, and returns where the server finally redirects (the client's callback). */
export async function signInAndConsent(
  browser: Browser,
  server: IdentityServer,
  authorizationUrl: URL,
  login: string,
  password: string,
) {
  const page = await openLoginPage(browser, authorizationUrl);
  const afterLogin = await browser.follow(new URL(page.form.action, server.publicUrl), {
    form: { csrf: page.form.csrf, login, password },
  });
  if (afterLogin.location) return afterLogin.location; // consent already given earlier
  expect(afterLogin.res.status).toBe(200);
  const consent = await afterLogin.res.text();
  expect(consent).toContain("Allow");
  const form = formOf(consent);
  const done = await browser.follow(new URL(form.action, server.publicUrl), { form: { csrf: form.csrf } });
  if (!done.location) throw new Error(`consent did not redirect: ${done.res.status} ${await done.res.text()}`);
  return done.location;
}

/**
 * An authorization request for the demo web client with fresh PKCE and state. With
 * offline_access it also sends prompt=consent, without which OIDC Core §11 drops offline_access.
 */
export async function authorizationRequest(
  config: client.Configuration,
  server: IdentityServer,
  scope: string,
  extra: Record<string, string> = {},
) {
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: server.callback,
    scope,
    state,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: "S256",
    ...(scope.split(" ").includes("offline_access") ? { prompt: "consent" } : {}),
    ...extra,
  });
  return { url, codeVerifier, state };
}

/** The browser part of the code flow for a user: the callback URL the server redirects to, and the checks to redeem its code with. */
export async function authorize(
  web: client.Configuration,
  server: IdentityServer,
  login: string,
  password: string,
  scope: string,
  browser = new Browser(),
) {
  const request = await authorizationRequest(web, server, scope);
  const callback = await signInAndConsent(browser, server, request.url, login, password);
  return { request, callback, checks: { pkceCodeVerifier: request.codeVerifier, expectedState: request.state } };
}

/** Redeems a callback's code for tokens for the API resource (RFC 8707). */
export function redeem(
  web: client.Configuration,
  server: IdentityServer,
  callback: URL,
  checks: client.AuthorizationCodeGrantChecks,
) {
  return client.authorizationCodeGrant(web, callback, checks, { resource: server.api });
}

/** The whole code flow: sign in, consent, redeem. */
export async function signInForTokens(...args: Parameters<typeof authorize>) {
  const flow = await authorize(...args);
  return { ...flow, tokens: await redeem(args[0], args[1], flow.callback, flow.checks) };
}
