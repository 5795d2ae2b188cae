import { exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { registerClient } from "../../src/oauth/clients.js";
import { createTestDatabase } from "../helpers/database.js";
import { discover, type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { forgeToken } from "../helpers/tokens.js";

let server: IdentityServer;
let prisma: PrismaClient;
let reader: client.Configuration;
let readerToken: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  const { clientId, clientSecret } = await registerClient(prisma, {
    name: "Catalog reader",
    grants: ["client_credentials"],
    scopes: ["catalog:read", "blog:read"],
  });
  reader = await discover(server, clientId, client.ClientSecretBasic(clientSecret ?? ""));
  readerToken = (await client.clientCredentialsGrant(reader, { scope: "catalog:read blog:read" })).access_token;
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const me = (authorization?: string, version = "v1") =>
  fetch(`${server.api}/${version}/me`, { headers: authorization ? { authorization } : {} });

/** The provider's own signing key, read from where it keeps it. */
async function providerKey() {
  const row = await prisma.oidcSigningKey.findFirstOrThrow({ where: { retiredAt: null } });
  return { kid: row.kid, key: await importJWK(row.jwk as JWK, "RS256") };
}

/** A token signed by the provider's real key, with the given claims replacing sane defaults. */
const forge = (claims: JWTPayload, header: { typ?: string } = {}) => forgeToken(server, prisma, claims, header);

async function expectInvalidToken(res: Response, description: RegExp) {
  expect(res.status).toBe(401);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const challenge = res.headers.get("www-authenticate") ?? "";
  expect(challenge).toMatch(/^Bearer realm="stockroom", error="invalid_token", error_description="/);
  expect(challenge).toMatch(description);
  expect(await res.json()).toMatchObject({ status: 401, code: "Unauthenticated" });
}

describe("discovery and keys", () => {
  it("publishes OpenID Connect discovery under the mount path, with only the code flow", async () => {
    const res = await fetch(`${server.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, string[]>;
    expect(doc).toMatchObject({
      issuer: server.issuer,
      authorization_endpoint: `${server.issuer}/auth`,
      token_endpoint: `${server.issuer}/token`,
      jwks_uri: `${server.issuer}/jwks`,
      userinfo_endpoint: `${server.issuer}/me`,
      introspection_endpoint: `${server.issuer}/token/introspection`,
      revocation_endpoint: `${server.issuer}/token/revocation`,
      end_session_endpoint: `${server.issuer}/session/end`,
      response_types_supported: ["code"],
      code_challenge_methods_supported: ["S256"],
      authorization_response_iss_parameter_supported: true,
    });
    expect([...(doc.grant_types_supported ?? [])].sort()).toEqual(["authorization_code", "client_credentials", "refresh_token"]);
    expect(doc.scopes_supported).toEqual(
      expect.arrayContaining(["openid", "offline_access", "catalog:write", "blog:write", "admin"]),
    );
    expect(doc.token_endpoint_auth_methods_supported).not.toContain("client_secret_jwt");
  });

  it("serves the public signing key (and nothing private) at the JWKS endpoint", async () => {
    const { keys } = (await (await fetch(`${server.issuer}/jwks`)).json()) as { keys: Record<string, string>[] };
    const { kid } = await providerKey();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: "RSA", kid, alg: "RS256", use: "sig" });
    for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(keys[0]).not.toHaveProperty(secret);
  });
});

describe("client credentials", () => {
  it("issues an RFC 9068 JWT for the API that GET /api/v1/me and /api/v2/me accept", async () => {
    const [header, payload] = readerToken
      .split(".")
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, "base64url").toString()));
    expect(header).toMatchObject({ alg: "RS256", typ: "at+jwt", kid: (await providerKey()).kid });
    expect(payload).toMatchObject({
      iss: server.issuer,
      aud: server.api,
      sub: reader.clientMetadata().client_id,
      client_id: reader.clientMetadata().client_id,
    });
    expect(payload.exp - payload.iat).toBe(900);

    const v1 = await me(`Bearer ${readerToken}`);
    expect(v1.status).toBe(200);
    expect(await v1.json()).toEqual({
      sub: payload.client_id,
      userId: null,
      clientId: payload.client_id,
      scopes: ["blog:read", "catalog:read"],
      roles: [],
    });
    const v2 = await me(`Bearer ${readerToken}`, "v2");
    expect(await v2.json()).toMatchObject({ subject: { kind: "client", id: payload.client_id } });
  });

  it("never grants a scope the client is not registered for", async () => {
    await expect(client.clientCredentialsGrant(reader, { scope: "catalog:write" })).rejects.toMatchObject({
      error: "invalid_scope",
    });
  });

  it("refuses a wrong client secret", async () => {
    const impostor = await discover(server, reader.clientMetadata().client_id, client.ClientSecretBasic("guessed"));
    // 401 with a Basic challenge: the client authenticated with the Authorization header (RFC 6749 §5.2).
    await expect(client.clientCredentialsGrant(impostor, { scope: "catalog:read" })).rejects.toMatchObject({ status: 401 });
  });
});

describe("tokens the API refuses, each with 401 and a Bearer challenge", () => {
  it("no token at all: 401 with a challenge but no error code (RFC 6750 §3.1)", async () => {
    const res = await me();
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="stockroom"');
  });

  it("a token for another audience", async () => {
    await expectInvalidToken(await me(`Bearer ${await forge({ aud: "https://other.example/api" })}`), /audience/);
  });

  it("an expired token", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await me(`Bearer ${await forge({ iat: now - 3600, exp: now - 60 })}`), /expired/);
  });

  it("a token whose payload was changed after signing", async () => {
    const [header, payload, signature] = readerToken.split(".");
    const claims = JSON.parse(Buffer.from(payload ?? "", "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, scope: "catalog:read catalog:write admin" })).toString("base64url");
    await expectInvalidToken(await me(`Bearer ${header}.${tampered}.${signature}`), /signature/);
  });

  it('an unsigned token (alg "none")', async () => {
    const claims = JSON.parse(Buffer.from(readerToken.split(".")[1] ?? "", "base64url").toString());
    const header = Buffer.from(JSON.stringify({ alg: "none", typ: "at+jwt" })).toString("base64url");
    const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
    await expectInvalidToken(await me(`Bearer ${header}.${payload}.`), /algorithm|malformed/);
  });

  it("a token from another issuer, signed with its own key", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const kid = "someone-else";
    const now = Math.floor(Date.now() / 1000);
    const foreign = (issuer: string, keyId: string) =>
      new SignJWT({ client_id: "stockroom-web", scope: "admin", jti: "x" })
        .setProtectedHeader({ alg: "RS256", typ: "at+jwt", kid: keyId })
        .setIssuer(issuer)
        .setAudience(server.api)
        .setSubject("1")
        .setIssuedAt(now)
        .setExpirationTime(now + 600)
        .sign(privateKey);
    expect((await exportJWK(publicKey)).kty).toBe("RSA");
    await expectInvalidToken(
      await me(`Bearer ${await foreign("https://evil.example/oauth", kid)}`),
      /key this server does not know/,
    );
    // Even claiming our issuer and our key id, the signature gives it away.
    await expectInvalidToken(await me(`Bearer ${await foreign(server.issuer, (await providerKey()).kid)}`), /signature/);
  });

  it("a token of our own issuer that is not an access token (typ JWT, as an ID token)", async () => {
    await expectInvalidToken(await me(`Bearer ${await forge({}, { typ: "JWT" })}`), /at\+jwt/);
  });

  it("a malformed Authorization header or token", async () => {
    await expectInvalidToken(await me("Bearer not-a-jwt"), /malformed/);
    await expectInvalidToken(await me("Bearer a b c"), /well-formed/);
    const basic = await me(`Basic ${Buffer.from("user:pass").toString("base64")}`);
    expect(basic.status).toBe(401);
    expect(basic.headers.get("www-authenticate")).toBe('Bearer realm="stockroom"');
  });

  it("a bad token even on a public route; no token there is fine", async () => {
    expect((await fetch(`${server.api}/v1/products/1`)).status).toBe(200);
    expect((await fetch(`${server.api}/v1/products/1`, { headers: { authorization: `Bearer ${readerToken}` } })).status).toBe(
      200,
    );
    await expectInvalidToken(
      await fetch(`${server.api}/v1/products/1`, { headers: { authorization: "Bearer garbage" } }),
      /malformed/,
    );
  });
});

describe("scopes", () => {
  it("answers 403 insufficient_scope, naming the scope, when the token lacks it", async () => {
    const res = await fetch(`${server.api}/v1/posts/1/comments/1`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${readerToken}` },
    });
    expect(res.status).toBe(403);
    expect(res.headers.get("www-authenticate")).toBe('Bearer realm="stockroom", error="insufficient_scope", scope="blog:write"');
    expect(await res.json()).toMatchObject({ status: 403, code: "Forbidden" });
    expect(await prisma.comment.count({ where: { id: 1 } })).toBe(1);
  });
});
