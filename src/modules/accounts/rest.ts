import { Router } from "express";
import type { Actor } from "../../auth/actor.js";
import { actorOf, requireScope } from "../../auth/middleware.js";

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

/** GET /me for one API version; 401 without a valid access token. */
export function meRoute(present: (actor: Actor) => object): Router {
  const router = Router();
  router.get("/me", requireScope(), (req, res) => {
    res.set("Cache-Control", "no-store").json(present(actorOf(req)));
  });
  return router;
}
