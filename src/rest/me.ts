import { z } from "zod";
import type { Actor } from "../auth/actor.js";
import { actorOf } from "../auth/middleware.js";
import type { VersionedApi } from "./operations.js";

// GET /me: the smallest protected route. It answers from the verified token alone.

const sorted = (scopes: ReadonlySet<string>) => [...scopes].sort();

/** v1: a flat document. */
export function presentMeV1(actor: Actor) {
  return {
    sub: actor.userId !== undefined ? String(actor.userId) : actor.clientId,
    userId: actor.userId ?? null,
    clientId: actor.clientId,
    scopes: sorted(actor.scopes),
    roles: [...actor.roles],
  };
}

/** v2: the subject says what kind of caller it is. */
export function presentMeV2(actor: Actor) {
  return {
    subject: actor.userId !== undefined ? { kind: "user", id: String(actor.userId) } : { kind: "client", id: actor.clientId },
    clientId: actor.clientId,
    scopes: sorted(actor.scopes),
    roles: [...actor.roles],
  };
}

const scopesAndRoles = {
  scopes: z.array(z.string()).meta({ example: ["catalog:read"] }),
  roles: z.array(z.enum(["customer", "staff", "admin"])),
};
const meV1 = z
  .object({ sub: z.string(), userId: z.number().int().nullable(), clientId: z.string(), ...scopesAndRoles })
  .meta({ id: "MeV1" });
const meV2 = z
  .object({
    subject: z.object({ kind: z.enum(["user", "client"]), id: z.string() }),
    clientId: z.string(),
    ...scopesAndRoles,
  })
  .meta({ id: "MeV2" });

/** GET /me for one API version; 401 without a valid access token. */
export function meOperation(api: VersionedApi): void {
  api.operation({
    method: "get",
    path: "/me",
    operationId: "getMe",
    summary: "Who am I",
    description: "The caller's identity as the access token states it: user or client, scopes and roles.",
    tag: "Account",
    scopes: [],
    success: {
      status: 200,
      description: "The caller",
      schema: api.version === 1 ? meV1 : meV2,
      headers: { "Cache-Control": "no-store" },
    },
    errors: [],
    async handler({ req }) {
      const actor = actorOf(req);
      return {
        status: 200,
        headers: { "Cache-Control": "no-store" },
        body: api.version === 1 ? presentMeV1(actor) : presentMeV2(actor),
      };
    },
  });
}
