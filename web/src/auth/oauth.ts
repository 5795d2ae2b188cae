import * as oauth from "oauth4webapi";

// The OAuth 2.0 / OpenID Connect steps against Stockroom's embedded provider, with oauth4webapi:
// authorization code + PKCE (RFC 7636) for the public client, the API's JWT through the resource
// indicator (RFC 8707), refresh with rotation, revocation (RFC 7009) and RP-initiated logout.

export type OAuthSettings = {
  issuer: string;
  clientId: string;
  redirectUri: string;
  postLogoutRedirectUri: string;
  resource: string;
  scope: string;
};

/** What one token response gave us; kept in memory only. */
export type Tokens = {
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  /** Rotated by the provider on every use: always keep the newest, never reuse an old one. */
  refreshToken?: string;
  idToken?: string;
  /** The signed-in user's name from the ID token (`preferred_username`, scope `profile`). */
  userName?: string;
};

/** What the authorization request needs to be checked and redeemed when the browser comes back. */
export type PendingAuthorization = { state: string; codeVerifier: string; returnTo: string };

/** The authorization response carried an error (login_required, access_denied, …). */
export class AuthorizationRefused extends Error {
  constructor(readonly error: string) {
    super(error);
    this.name = "AuthorizationRefused";
  }
}

/** The client of the embedded provider; `fetchFor` lets the API module log the provider calls. */
export function createOAuthClient(settings: OAuthSettings, fetchFor: (operation: string) => typeof fetch) {
  const client: oauth.Client = { client_id: settings.clientId };
  const auth = oauth.None();
  const issuer = new URL(settings.issuer);
  // Plain http is refused unless allowed: allowed for a provider on this machine only.
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  // oauth4webapi's customFetch takes (url, init): exactly fetch's shape for its calls.
  const options = (operation: string) => ({
    [oauth.customFetch]: fetchFor(operation) as (url: string, init: RequestInit) => Promise<Response>,
    [oauth.allowInsecureRequests]: local,
  });
  let metadata: Promise<oauth.AuthorizationServer> | undefined;

  const server = () => {
    metadata ??= oauth
      .discoveryRequest(issuer, { ...options("discovery"), algorithm: "oidc" })
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((error) => {
        metadata = undefined;
        throw error;
      });
    return metadata;
  };

  const tokensFrom = (response: oauth.TokenEndpointResponse, previous?: Tokens): Tokens => {
    const claims = oauth.getValidatedIdTokenClaims(response);
    return {
      accessToken: response.access_token,
      expiresAt: Date.now() + (response.expires_in ?? 300) * 1000,
      refreshToken: response.refresh_token ?? previous?.refreshToken,
      idToken: response.id_token ?? previous?.idToken,
      userName: typeof claims?.preferred_username === "string" ? claims.preferred_username : previous?.userName,
    };
  };

  return {
    /** A fresh authorization request: where to send the browser, and what to keep until it comes back. */
    async authorizationRequest(returnTo: string, prompt: "consent" | "none") {
      const as = await server();
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const url = new URL(as.authorization_endpoint ?? `${settings.issuer}/auth`);
      url.search = new URLSearchParams({
        response_type: "code",
        client_id: settings.clientId,
        redirect_uri: settings.redirectUri,
        // A silent request cannot add offline_access (OIDC Core §11 needs prompt=consent for it).
        scope: prompt === "none" ? settings.scope.replace(" offline_access", "") : settings.scope,
        state,
        code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: "S256",
        prompt,
      }).toString();
      const pending: PendingAuthorization = { state, codeVerifier, returnTo };
      return { url, pending };
    },

    /** Checks the authorization response against `pending` and redeems its code for the API's tokens. */
    async redeem(callback: URL, pending: PendingAuthorization): Promise<Tokens> {
      const as = await server();
      let parameters: URLSearchParams;
      try {
        parameters = oauth.validateAuthResponse(as, client, callback, pending.state);
      } catch (error) {
        if (error instanceof oauth.AuthorizationResponseError) throw new AuthorizationRefused(error.error);
        throw error;
      }
      const response = await oauth.authorizationCodeGrantRequest(
        as,
        client,
        auth,
        parameters,
        settings.redirectUri,
        pending.codeVerifier,
        {
          ...options("token (authorization code)"),
          additionalParameters: { resource: settings.resource },
        },
      );
      return tokensFrom(await oauth.processAuthorizationCodeResponse(as, client, response));
    },

    /** Exchanges the refresh token for new tokens; the answer carries the next refresh token (rotation). */
    async refresh(tokens: Tokens): Promise<Tokens> {
      if (!tokens.refreshToken) throw new Error("no refresh token");
      const as = await server();
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refreshToken, {
        ...options("token (refresh)"),
        additionalParameters: { resource: settings.resource },
      });
      return tokensFrom(await oauth.processRefreshTokenResponse(as, client, response), tokens);
    },

    /** Revokes a refresh token (and with it the grant's others). */
    async revoke(refreshToken: string): Promise<void> {
      const as = await server();
      const response = await oauth.revocationRequest(as, client, auth, refreshToken, options("revocation"));
      await oauth.processRevocationResponse(response);
    },

    /** Where to send the browser to sign out of the provider (it comes back to the app's `/`). */
    async endSessionUrl(idToken: string | undefined): Promise<URL> {
      const as = await server();
      const url = new URL(as.end_session_endpoint ?? `${settings.issuer}/session/end`);
      url.searchParams.set("client_id", settings.clientId);
      url.searchParams.set("post_logout_redirect_uri", settings.postLogoutRedirectUri);
      if (idToken) url.searchParams.set("id_token_hint", idToken);
      return url;
    },
  };
}

export type OAuthClient = ReturnType<typeof createOAuthClient>;
