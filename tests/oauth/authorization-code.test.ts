import { decodeJwt, decodeProtectedHeader } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database.js";
import { Browser, discover, type IdentityServer, signInForTokens, startIdentityServer } from "../helpers/oauth.js";

let server: IdentityServer;
let web: client.Configuration;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  web = await discover(server, "stockroom-web");
});
afterAll(() => server.stop());

const me = (token: string) => fetch(`${server.api}/v1/me`, { headers: { authorization: `Bearer ${token}` } });

/** Runs login + consent for the demo web client and redeems the code for API tokens. */
async function signIn(login: string, password: string, scope: string, browser = new Browser()) {
  return { ...(await signInForTokens(web, server, login, password, scope, browser)), browser };
}

describe("authorization code + PKCE, driven by openid-client", () => {
  it("signs in, consents, redeems the code, calls the API, refreshes with rotation, reads userinfo, revokes", async () => {
    const { tokens } = await signIn(
      "customer@stockroom.test",
      "customer-demo-password",
      "openid profile email offline_access blog:read blog:write",
    );

    // An RFC 9068 JWT for the API, an ID token for the client, a refresh token (offline_access).
    expect(decodeProtectedHeader(tokens.access_token).typ).toBe("at+jwt");
    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ iss: server.issuer, aud: server.api, client_id: "stockroom-web", roles: ["customer"] });
    expect(String(claims.scope).split(" ").sort()).toEqual(["blog:read", "blog:write"]);
    expect(tokens.claims()?.sub).toBe(claims.sub);
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const who = await me(tokens.access_token);
    expect(who.status).toBe(200);
    expect(await who.json()).toMatchObject({
      sub: claims.sub,
      clientId: "stockroom-web",
      roles: ["customer"],
      scopes: ["blog:read", "blog:write"],
    });

    // Refresh rotates: a new refresh token, and the old one is dead (and its reuse revokes the grant).
    const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token as string, { resource: server.api });
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    expect((await me(refreshed.access_token)).status).toBe(200);

    // Without `resource`, the token is for userinfo (RFC 8707: the client names the audience it wants).
    const forUserinfo = await client.refreshTokenGrant(web, refreshed.refresh_token as string);
    const userinfo = await client.fetchUserInfo(web, forUserinfo.access_token, claims.sub as string);
    expect(userinfo).toMatchObject({ sub: claims.sub, email: "customer@stockroom.test", preferred_username: "casey-customer" });
    // …and that userinfo token is no API token.
    expect((await me(forUserinfo.access_token)).status).toBe(401);

    // Revoking the refresh token (RFC 7009) stops it minting anything.
    const latest = forUserinfo.refresh_token as string;
    const introspected = await client.tokenIntrospection(web, latest);
    expect(introspected).toMatchObject({ active: true, client_id: "stockroom-web", sub: claims.sub });
    await client.tokenRevocation(web, latest);
    expect((await client.tokenIntrospection(web, latest)).active).toBe(false);
    await expect(client.refreshTokenGrant(web, latest)).rejects.toMatchObject({ error: "invalid_grant" });
  });

  it("rejects a refresh token that was already rotated", async () => {
    const { tokens } = await signIn("customer@stockroom.test", "customer-demo-password", "openid offline_access blog:read");
    const first = tokens.refresh_token as string;
    const second = await client.refreshTokenGrant(web, first, { resource: server.api });
    await expect(client.refreshTokenGrant(web, first, { resource: server.api })).rejects.toMatchObject({
      error: "invalid_grant",
    });
    // Reuse of a rotated token is treated as theft: the whole grant is revoked (RFC 9700 §4.14.2).
    await expect(client.refreshTokenGrant(web, second.refresh_token as string)).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
