import type { RequestHandler } from "express";
import type { Actor } from "./actor.js";
import { invalidToken, missingToken } from "./challenges.js";
import type { AccessTokenVerifier } from "./verifier.js";

declare module "express-serve-static-core" {
  interface Request {
    /** Who presented a valid access token; absent on anonymous requests. */
    actor?: Actor;
  }
}

// RFC 6750 §2.1: `Bearer` then a b64token.
const bearer = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/**
 * Attaches `req.actor` when the request carries `Authorization: Bearer`; anonymous requests pass
 * through (public reads), while a bad or expired token is a 401 even on a public route.
 */
export function authenticate(verify: AccessTokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get("authorization");
    if (header === undefined) return next();
    const match = bearer.exec(header);
    if (!match?.[1]) {
      if (!/^Bearer\b/i.test(header)) throw missingToken();
      throw invalidToken("The Authorization header is not a well-formed Bearer token.");
    }
    req.actor = await verify(match[1]);
    req.log = req.log.child({ actor: { userId: req.actor.userId, clientId: req.actor.clientId } });
    next();
  };
}

/** Lets the request through only with a valid token (401 otherwise); what it may do is the command's to decide. */
export const requireActor: RequestHandler = (req, _res, next) => {
  if (!req.actor) throw missingToken();
  next();
};

/** The actor of a request that went through `requireActor` (or a 401 if it did not). */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw missingToken();
  return req.actor;
}
