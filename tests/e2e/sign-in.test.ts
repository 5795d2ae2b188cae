import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient } from "../../src/db/prisma.js";
import { registerClient } from "../../src/oauth/clients.js";
import { withBrowser } from "../helpers/browser.js";
import { createTestDatabase } from "../helpers/database.js";
import { authorizationRequest, discover, type IdentityServer, startIdentityServer } from "../helpers/oauth.js";

// A real Chromium on the real sign-in and consent pages (plain HTML forms with a CSRF token and
// a strict CSP), and a real OAuth client library redeeming the code.

let server: IdentityServer;
let app: http.Server;
let appCallback: string;
let web: client.Configuration;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  // The browser app the user signs in to: a page of its own on its own origin, where the
  // authorization response lands (a redirect the browser follows for real, so it must answer).
  app = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>App</title>"),
  );
  app.listen(0, "127.0.0.1");
  await once(app, "listening");
  appCallback = `http://127.0.0.1:${(app.address() as AddressInfo).port}/callback`;
  const prisma = createPrismaClient(db.url, { poolSize: 1 });
  await registerClient(prisma, {
    clientId: "e2e-browser-app",
    name: "Browser app",
    grants: ["authorization_code"],
    public: true,
    redirectUris: [appCallback],
  });
  await prisma.$disconnect();
  web = await discover(server, "e2e-browser-app");
});
afterAll(async () => {
  await server.stop();
  app.close();
});

describe("signing in with a browser", () => {
  it("signs in with the README's demo credentials, consents, and comes back with a code that redeems for an API token", async () => {
    const request = await authorizationRequest(web, server, "openid blog:read blog:write", { redirect_uri: appCallback });
    const callback = await withBrowser(async (browser) => {
      const page = await browser.newPage();
      await page.goto(request.url.href);
      expect(await page.locator("h1").textContent()).toBe("Sign in");
      await page.fill("#login", "customer@stockroom.test");
      await page.fill("#password", "customer-demo-password");
      await page.click("button[type=submit]:has-text('Sign in')");
      await page.waitForSelector("h1:has-text('Allow')");
      await page.click("button[type=submit]:has-text('Allow')");
      await page.waitForURL((url) => url.href.startsWith(`${appCallback}?`));
      return new URL(page.url());
    });
    expect(callback.searchParams.get("code")).toBeTruthy();

    const tokens = await client.authorizationCodeGrant(
      web,
      callback,
      { pkceCodeVerifier: request.codeVerifier, expectedState: request.state },
      { resource: server.api },
    );
    const me = await fetch(`${server.api}/v2/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ clientId: "e2e-browser-app", scopes: expect.arrayContaining(["blog:write"]) });
  });
});
