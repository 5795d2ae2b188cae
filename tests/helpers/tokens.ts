import { importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import * as client from "openid-client";
import type { ApiScope } from "../../src/auth/scopes.js";
import type { PrismaClient } from "../../src/db/prisma.js";
import { registerClient } from "../../src/oauth/clients.js";
import { discover, type IdentityServer, signInForTokens } from "./oauth.js";

/** An access token for a demo user, through the real authorization code + PKCE flow of stockroom-web. */
export async function userToken(server: IdentityServer, login: string, password: string, scope: string): Promise<string> {
  const web = await discover(server, "stockroom-web");
  return (await signInForTokens(web, server, login, password, `openid ${scope}`)).tokens.access_token;
}

export const staffToken = (server: IdentityServer, scope: string) =>
  userToken(server, "staff@stockroom.test", "staff-demo-password", scope);
export const customerToken = (server: IdentityServer, scope: string) =>
  userToken(server, "customer@stockroom.test", "customer-demo-password", scope);

/** An access token of a freshly registered machine client (client credentials) holding `scopes`. */
export async function machineToken(server: IdentityServer, prisma: PrismaClient, scopes: ApiScope[]): Promise<string> {
  const { clientId, clientSecret } = await registerClient(prisma, {
    name: "Test integration",
    grants: ["client_credentials"],
    scopes,
  });
  const config = await discover(server, clientId, client.ClientSecretBasic(clientSecret ?? ""));
  return (await client.clientCredentialsGrant(config, { scope: scopes.join(" ") })).access_token;
}

/**
 * A token signed with the provider's real current key, with `claims` replacing sane defaults (a
 * catalog:read token of stockroom-web valid for ten minutes): for lifetimes and claims the
 * provider would not issue on request, such as a token about to expire.
 */
export async function forgeToken(
  server: IdentityServer,
  prisma: PrismaClient,
  claims: JWTPayload,
  header: { typ?: string } = {},
): Promise<string> {
  const row = await prisma.oidcSigningKey.findFirstOrThrow({ where: { retiredAt: null } });
  const key = await importJWK(row.jwk as JWK, "RS256");
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: server.issuer,
    aud: server.api,
    sub: "stockroom-web",
    client_id: "stockroom-web",
    scope: "catalog:read",
    jti: "forged",
    iat: now - 60,
    exp: now + 600,
    ...claims,
  };
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", typ: header.typ ?? "at+jwt", kid: row.kid }).sign(key);
}
