import { DomainError } from "../errors.js";

// Bearer token errors of RFC 6750 §3: a 401 or 403 problem document that also carries the
// WWW-Authenticate challenge telling the client what to do next.

const realm = "stockroom";

// Challenge parameters are quoted-strings (RFC 9110 §5.6.4): keep them free of quotes and backslashes.
const quoted = (value: string) => `"${value.replace(/["\\]/g, "'")}"`;

/** 401 for a request that carries no credentials: no error code (RFC 6750 §3.1). */
export function missingToken(): DomainError {
  return new DomainError(
    "Unauthenticated",
    "This endpoint needs an access token: send `Authorization: Bearer <token>`.",
    [],
    `Bearer realm=${quoted(realm)}`,
  );
}

/** 401 invalid_token: the token is malformed, expired, revoked, for another audience, or forged. */
export function invalidToken(description: string): DomainError {
  return new DomainError(
    "Unauthenticated",
    description,
    [],
    `Bearer realm=${quoted(realm)}, error="invalid_token", error_description=${quoted(description)}`,
  );
}

/** 403 insufficient_scope naming the scopes the request needs (RFC 6750 §3.1). */
export function insufficientScope(required: readonly string[]): DomainError {
  const scope = required.join(" ");
  return new DomainError(
    "Forbidden",
    `This request needs the scope ${scope}, which your access token does not grant.`,
    [],
    `Bearer realm=${quoted(realm)}, error="insufficient_scope", scope=${quoted(scope)}`,
  );
}
