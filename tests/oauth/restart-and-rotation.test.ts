import { decodeProtectedHeader } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import {
  authorizationRequest,
  Browser,
  discover,
  type IdentityServer,
  signInForTokens,
  startIdentityServer,
} from "../helpers/oauth.js";
import { runScript } from "../helpers/process.js";

let databaseUrl: string;
let server: IdentityServer;
let web: client.Configuration;

beforeAll(async () => {
  databaseUrl = (await createTestDatabase()).url;
  // Check for rotated keys every second, so the test sees a rotation without a restart.
  server = await startIdentityServer(databaseUrl, { OAUTH_KEY_REFRESH_SECONDS: "1" });
  web = await discover(server, "stockroom-web");
});
afterAll(() => server.stop());

const meStatus = async (token: string) =>
  (await fetch(`${server.api}/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;
const jwksKids = async () =>
  ((await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
const kidOf = (jwt: string) => decodeProtectedHeader(jwt).kid;

/** A new authorization request in `browser`; with a live session and consent it comes straight back with a code. */
async function silentCode(browser: Browser) {
  const request = await authorizationRequest(web, server, "openid blog:read");
  const { location } = await browser.follow(request.url);
  expect(location?.searchParams.get("code"), "the session should need no login page").toEqual(expect.any(String));
  return client.authorizationCodeGrant(
    web,
    location as URL,
    { pkceCodeVerifier: request.codeVerifier, expectedState: request.state },
    { resource: server.api },
  );
}

describe("keys, sessions and grants survive a restart; rotation keeps old tokens valid", () => {
  const browser = new Browser();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  let firstKid: string | undefined;

  it("signs in before the restart", async () => {
    ({ tokens } = await signInForTokens(
      web,
      server,
      "customer@stockroom.test",
      "customer-demo-password",
      "openid offline_access blog:read",
      browser,
    ));
    firstKid = kidOf(tokens.access_token);
    expect(await jwksKids()).toEqual([firstKid]);
  });

  it("after a restart on the same database: same key, the old access token verifies, the refresh token and the session work", async () => {
    // Rows whose lifetime is over are purged (at start, then every 10 minutes); live ones stay.
    const prisma = createPrismaClient(databaseUrl, { poolSize: 1 });
    const past = new Date(Date.now() - 1000);
    await prisma.oidcPayload.create({
      data: { id: "expired-session", type: "Session", payload: {}, uid: "gone", expiresAt: past },
    });
    await prisma.loginRateLimit.create({ data: { key: "login:account:old|127.0.0.1", points: 5, expire: past } });
    const liveRows = await prisma.oidcPayload.count({ where: { expiresAt: { gt: new Date() } } });

    await server.restart();
    expect(await prisma.oidcPayload.count({ where: { id: "expired-session" } })).toBe(0);
    expect(await prisma.loginRateLimit.count({ where: { key: "login:account:old|127.0.0.1" } })).toBe(0);
    expect(await prisma.oidcPayload.count({ where: { expiresAt: { gt: new Date() } } })).toBe(liveRows);
    await prisma.$disconnect();

    expect(await jwksKids()).toEqual([firstKid]);
    expect(await meStatus(tokens.access_token)).toBe(200);
    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token as string, { resource: server.api });
    expect(kidOf(refreshed.access_token)).toBe(firstKid);
    expect(await meStatus(refreshed.access_token)).toBe(200);
    tokens = { ...tokens, ...refreshed } as typeof tokens;
    // The browser's session cookie is still good: no login page, no consent page.
    expect(await meStatus((await silentCode(browser)).access_token)).toBe(200);
  });

  it("after `npm run oauth -- keys:rotate`: the new key signs, the old one still verifies, sessions hold", async () => {
    const rotated = await runScript("src/cli/oauth.ts", ["keys:rotate", "--json"], { DATABASE_URL: databaseUrl });
    expect(rotated.code, rotated.stderr).toBe(0);
    const { kid: newKid, retired } = JSON.parse(rotated.stdout) as { kid: string; retired: string[] };
    expect(retired).toEqual([firstKid]);
    expect(newKid).not.toBe(firstKid);

    // The running server notices within OAUTH_KEY_REFRESH_SECONDS, without a restart.
    await vi.waitFor(async () => expect(await jwksKids()).toEqual([newKid, firstKid]), { timeout: 10_000, interval: 200 });
    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token as string, { resource: server.api });
    expect(kidOf(refreshed.access_token)).toBe(newKid);
    expect(kidOf(refreshed.id_token as string)).toBe(newKid);
    expect(await meStatus(refreshed.access_token)).toBe(200);
    expect(await meStatus(tokens.access_token)).toBe(200); // signed with the retired key

    // Cookies signed with the previous cookie key still open the session.
    expect(await meStatus((await silentCode(browser)).access_token)).toBe(200);

    await server.restart();
    expect(await jwksKids()).toEqual([newKid, firstKid]);
    expect(await meStatus(tokens.access_token)).toBe(200);
  });
});
