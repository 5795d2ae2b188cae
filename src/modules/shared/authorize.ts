import { type Actor, hasScopes } from "../../auth/actor.js";
import { insufficientScope, missingToken } from "../../auth/challenges.js";
import type { ApiScope } from "../../auth/scopes.js";

// Transports authenticate (a token becomes an Actor); commands authorize. Every write command
// starts with this check, so an entry point that forgets one cannot open a write.

/** The actor, when it is one whose token grants every one of `scopes`; Unauthenticated or Forbidden otherwise. */
export function authorize(actor: Actor | undefined, ...scopes: ApiScope[]): Actor {
  if (!actor) throw missingToken();
  if (!hasScopes(actor, ...scopes)) throw insufficientScope(scopes);
  return actor;
}
