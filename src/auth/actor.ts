import { apiScopes, type Role } from "./scopes.js";

/**
 * Who is calling, as every entry point (REST, GraphQL, WebSocket) hands it to commands and
 * queries: a user acting through a client, or a client acting for itself (client credentials).
 */
export type Actor = {
  /** The signed-in user, absent for a machine client. */
  userId?: number;
  /** The OAuth client the token was issued to (RFC 9068 `client_id`). */
  clientId: string;
  /** Scopes the token grants, already limited to what the user's roles allow. */
  scopes: ReadonlySet<string>;
  /** The user's roles when the token was issued (RFC 9068 §2.2.3.1); empty for a machine client. */
  roles: readonly Role[];
};

/** True when the actor's token carries every one of `scopes`. */
export function hasScopes(actor: Actor, ...scopes: string[]): boolean {
  return scopes.every((scope) => actor.scopes.has(scope));
}

/** True when the actor is a user with the staff or admin role. */
export function isStaff(actor: Actor): boolean {
  return actor.userId !== undefined && actor.roles.some((role) => role === "staff" || role === "admin");
}

/** The server acting on its own behalf (demo seed, benchmarks, maintenance): every API scope. */
export const systemActor: Actor = { clientId: "system", scopes: new Set(apiScopes), roles: [] };
