import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTPayload, jwtVerify } from "jose";
import { z } from "zod";
import type { Actor } from "./actor.js";
import { invalidToken } from "./challenges.js";
import { isRole, oidcScopes, scopesGrantableBy } from "./scopes.js";

/** Verifies an access token and says who presents it; throws a 401 DomainError otherwise. */
export type AccessTokenVerifier = (token: string) => Promise<Actor>;

export type VerifierOptions = {
  /** Our own issuer, `${PUBLIC_URL}/oauth`. */
  issuer: string;
  /** The API's resource indicator, `${PUBLIC_URL}/api` (RFC 8707): the only audience we accept. */
  audience: string;
  /** The provider's current public keys, read in-process (no HTTP round trip). */
  keys: () => JSONWebKeySet;
  /** Re-reads the keys when a token names a kid we do not know yet (another instance rotated). */
  refreshKeys?: () => Promise<void>;
  /** False when the client the token was issued to has been deleted (its tokens die with it). */
  clientRegistered?: (clientId: string) => Promise<boolean>;
  /** Seconds of clock skew tolerated on exp/iat/nbf. */
  clockToleranceSeconds?: number;
};

// RFC 9068 §2.2: the claims every JWT access token carries. `roles` is §2.2.3.1.
const claimsSchema = z.object({
  sub: z.string().min(1),
  client_id: z.string().min(1),
  scope: z.string().optional(),
  roles: z.array(z.string()).optional(),
});

// Users are numbered; client ids always contain a letter (see oauth/clients.ts), so a numeric
// `sub` that differs from `client_id` can only be a user.
const userSubject = /^[1-9][0-9]{0,9}$/;

/** The one token check of every entry point: RFC 9068 JWTs signed by our own provider, for our API. */
export function createAccessTokenVerifier(options: VerifierOptions): AccessTokenVerifier {
  let keySetFor: JSONWebKeySet | undefined;
  let keySet: ReturnType<typeof createLocalJWKSet> | undefined;
  const currentKeySet = () => {
    const jwks = options.keys();
    if (jwks !== keySetFor || !keySet) {
      keySet = createLocalJWKSet(jwks);
      keySetFor = jwks;
    }
    return keySet;
  };

  const verify = (token: string) =>
    jwtVerify(token, currentKeySet(), {
      issuer: options.issuer,
      audience: options.audience,
      // RFC 9068 §4: the header typ must be at+jwt, so an ID token can never pass as an access token.
      typ: "at+jwt",
      // An allow-list: `none` and HMAC algorithms (alg confusion with a public key) never verify.
      algorithms: ["RS256"],
      clockTolerance: options.clockToleranceSeconds ?? 5,
      requiredClaims: ["iss", "aud", "exp", "iat", "sub", "client_id", "jti"],
    });

  return async (token) => {
    let payload: JWTPayload;
    try {
      ({ payload } = await verify(token));
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey) || !options.refreshKeys) throw invalidToken(describe(error));
      await options.refreshKeys();
      try {
        ({ payload } = await verify(token));
      } catch (retryError) {
        throw invalidToken(describe(retryError));
      }
    }
    // Sender-constrained tokens (RFC 9449 DPoP, RFC 8705 mTLS) must never be accepted as bearer tokens.
    if (payload.cnf !== undefined)
      throw invalidToken("The access token is sender-constrained; it cannot be used as a bearer token.");
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw invalidToken("The access token lacks the claims of an RFC 9068 access token.");
    if (options.clientRegistered && !(await options.clientRegistered(claims.data.client_id)))
      throw invalidToken("The client this access token was issued to no longer exists.");
    return actorFrom(claims.data);
  };
}

function actorFrom(claims: z.infer<typeof claimsSchema>): Actor {
  const granted = new Set((claims.scope ?? "").split(" ").filter(Boolean));
  const isUser = claims.sub !== claims.client_id && userSubject.test(claims.sub);
  if (!isUser) return { clientId: claims.client_id, scopes: granted, roles: [] };
  const roles = (claims.roles ?? []).filter(isRole);
  // Defence in depth: a user's token never carries more than the user's roles may grant,
  // whatever went into the grant (roles are re-read from the database at every token issuance).
  const allowed = new Set<string>([...oidcScopes, ...scopesGrantableBy(roles)]);
  return {
    userId: Number(claims.sub),
    clientId: claims.client_id,
    scopes: new Set([...granted].filter((scope) => allowed.has(scope))),
    roles,
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The access token has expired.";
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return "The access token is not meant for this API (wrong audience).";
    if (error.claim === "iss") return "The access token was not issued by this server.";
    if (error.claim === "typ") return "The token is not an access token (typ must be at+jwt).";
    return `The access token's ${error.claim} claim is not valid.`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed)
    return "The access token is signed with an algorithm this server does not accept.";
  if (error instanceof errors.JWKSNoMatchingKey) return "The access token is signed with a key this server does not know.";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The access token's signature is not valid.";
  return "The access token is malformed.";
}
