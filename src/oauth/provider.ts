import type { JWK } from "jose";
import { type Configuration, errors, type KoaContextWithOIDC, Provider } from "oidc-provider";
import { apiScopes, isApiScope, oidcScopes } from "../auth/scopes.js";
import type { PrismaClient } from "../db/prisma.js";
import type { Logger } from "../logger.js";
import { findAccountById } from "../modules/accounts/sign-in.js";
import { prismaAdapter } from "./adapter.js";
import { clientSecretMatches } from "./clients.js";
import { signingAlgorithm } from "./keys.js";
import { logoutPage, messagePage, pageHeaders } from "./pages.js";
import { oauthMountPath } from "./paths.js";

/** API access tokens are short-lived JWTs: nothing can revoke them before they expire. */
export const accessTokenLifetimeSeconds = 15 * 60;
const day = 24 * 60 * 60;

export type ProviderSettings = {
  issuer: string;
  /** Resource indicator (RFC 8707) and JWT audience of the REST/GraphQL/WebSocket API. */
  apiAudience: string;
  prisma: PrismaClient;
  logger: Logger;
  /** Private JWKs, the signing key first. */
  signingKeys: JWK[];
  /** Cookie keys, newest first. */
  cookieKeys: string[];
  /** Honour X-Forwarded-* (behind a TLS-terminating proxy). */
  trustProxy: boolean;
};

function renderPage(ctx: KoaContextWithOIDC, status: number, html: string) {
  ctx.status = status;
  ctx.set(pageHeaders);
  ctx.type = "html";
  ctx.body = html;
}

/** An oidc-provider instance configured for Stockroom (see README "OAuth 2.0 and OpenID Connect"). */
export function createProvider(s: ProviderSettings): Provider {
  const activeKid = s.signingKeys[0]?.kid;
  const configuration: Configuration = {
    adapter: prismaAdapter(s.prisma),
    jwks: { keys: s.signingKeys as NonNullable<Configuration["jwks"]>["keys"] },
    cookies: { keys: s.cookieKeys, long: { signed: true }, short: { signed: true } },
    // Only the code flow: no implicit or hybrid response types (RFC 9700 §2.1.2), no password grant.
    responseTypes: ["code"],
    pkce: { required: () => true },
    // Secrets travel in the Authorization header or the body; no HMAC client assertions, whose
    // key would have to be the plain secret (we store only its hash).
    clientAuthMethods: ["client_secret_basic", "client_secret_post", "none"],
    enabledJWA: { idTokenSigningAlgValues: [signingAlgorithm], userinfoSigningAlgValues: [signingAlgorithm] },
    // API scopes are listed too: discovery advertises them, client registrations may name them,
    // and the client_credentials grant checks requests against the client's registered `scope`.
    scopes: [...oidcScopes, ...apiScopes],
    claims: { openid: ["sub"], profile: ["preferred_username"], email: ["email", "email_verified"] },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: {
        enabled: true,
        allowedPolicy: async (ctx, _client, token) => token.clientId === ctx.oidc.client?.clientId,
      },
      revocation: { enabled: true, allowedPolicy: async (ctx, _client, token) => token.clientId === ctx.oidc.client?.clientId },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => renderPage(ctx, 200, logoutPage(form, ctx.host)),
        postLogoutSuccessSource: async (ctx) =>
          renderPage(ctx, 200, messagePage("Signed out", "You are signed out of Stockroom.")),
      },
      resourceIndicators: {
        enabled: true,
        // Every authorization request is for our API unless it names it explicitly (RFC 8707 §2).
        defaultResource: async (_ctx, _client, oneOf) => oneOf ?? s.apiAudience,
        // A token request without `resource` and with `openid` gets an opaque token for userinfo.
        useGrantedResource: async () => false,
        getResourceServerInfo: async (_ctx, indicator, client) => {
          if (indicator !== s.apiAudience) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          // Never more than the client is registered for, whatever the grant says.
          const allowed = (client.scope ?? "").split(" ").filter(isApiScope);
          return {
            scope: allowed.join(" "),
            audience: s.apiAudience,
            accessTokenFormat: "jwt",
            accessTokenTTL: accessTokenLifetimeSeconds,
            jwt: { sign: { alg: signingAlgorithm, kid: activeKid } },
          };
        },
      },
    },
    interactions: { url: async (_ctx, interaction) => `${oauthMountPath}/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      const account = await findAccountById(s.prisma, Number(sub));
      if (!account) return undefined;
      return {
        accountId: sub,
        role: account.role,
        claims: async () => ({ sub, preferred_username: account.username, email: account.email, email_verified: false }),
      };
    },
    // RFC 9068 §2.2.3.1 `roles`, read from the users table whenever a token is minted (refresh included).
    extraTokenClaims: async (ctx, token) => {
      const accountId = "accountId" in token ? token.accountId : undefined;
      if (!accountId) return undefined;
      const loaded = ctx.oidc.entities.Account;
      const role = loaded?.accountId === accountId ? loaded.role : (await findAccountById(s.prisma, Number(accountId)))?.role;
      return role ? { roles: [role] } : undefined;
    },
    // Every code, refresh token and userinfo token dies with the browser session, so signing out
    // (or the session expiring) stops a refresh token from minting anything (offline_access included).
    expiresWithSession: async () => true,
    rotateRefreshToken: true,
    clientBasedCORS: (_ctx, origin, client) =>
      client.clientAuthMethod === "none" && (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin),
    ttl: {
      AccessToken: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? accessTokenLifetimeSeconds,
      ClientCredentials: (_ctx, token) => token.resourceServer?.accessTokenTTL ?? accessTokenLifetimeSeconds,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Session: 14 * day,
      Grant: 14 * day,
      // Rotation never extends a refresh token's life past 14 days after the sign-in.
      RefreshToken: (ctx) => Math.max(1, ctx?.oidc?.entities.RotatedRefreshToken?.remainingTTL ?? 14 * day),
    },
    renderError: async (ctx, out, error) => {
      if (!("statusCode" in error) || Number(error.statusCode) >= 500) s.logger.error({ err: error }, "oidc-provider error page");
      renderPage(ctx, Math.max(ctx.status, 400), messagePage("Something went wrong", out.error_description ?? out.error));
    },
  };

  const provider = new Provider(s.issuer, configuration);
  provider.proxy = s.trustProxy;
  // Secrets are stored hashed; this is the hook oidc-provider exposes for that (panva/node-oidc-provider#631).
  provider.Client.prototype.compareClientSecret = async function compareHashed(this: { clientSecret?: string }, actual: string) {
    return typeof this.clientSecret === "string" && clientSecretMatches(this.clientSecret, actual);
  };
  provider.on("server_error", (_ctx, err) => s.logger.error({ err }, "oidc-provider server error"));
  provider.on("grant.error", (_ctx, err) => s.logger.info({ error: err.message }, "token request refused"));
  return provider;
}
