import type { Actor } from "../../src/auth/actor.js";
import type { ApiScope, Role } from "../../src/auth/scopes.js";

/** A signed-in user acting through the web client, with the given role and scopes. */
export function userActor(userId: number, role: Role, scopes: ApiScope[]): Actor {
  return { userId, clientId: "stockroom-web", scopes: new Set(scopes), roles: [role] };
}

/** A staff member whose token grants catalog and inventory writes. */
export const staffActor = (userId = 1) => userActor(userId, "staff", ["catalog:write", "inventory:write", "blog:write"]);
