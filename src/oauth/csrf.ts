import { createHmac, timingSafeEqual } from "node:crypto";
import type { Request } from "express";

// Interaction forms are protected three ways: the interaction cookie is SameSite=Lax and bound to
// the interaction id (a cross-site POST arrives without it), a synchronizer token derived from
// the interaction id with a server-side key, and an Origin / Sec-Fetch-Site check (OWASP CSRF
// cheat sheet, "Verifying Origin With Standard Headers").

/** The hidden form token for interaction `uid`, keyed with the newest cookie key. */
export function csrfTokenFor(uid: string, keys: readonly string[]): string {
  return createHmac("sha256", keys[0] ?? "")
    .update(`interaction-form:${uid}`)
    .digest("base64url");
}

/** True when `token` was issued for `uid` under any current key. */
export function csrfTokenValid(uid: string, token: unknown, keys: readonly string[]): boolean {
  if (typeof token !== "string") return false;
  const given = Buffer.from(token);
  return keys.some((key) => {
    const expected = Buffer.from(csrfTokenFor(uid, [key]));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
}

/** True when the browser says the form was posted from our own pages (or says nothing, as old browsers do). */
export function sameOriginPost(req: Request, publicOrigin: string): boolean {
  if (req.get("sec-fetch-site") === "cross-site") return false;
  const origin = req.get("origin");
  if (origin === undefined) return true;
  return origin === publicOrigin || origin === `${req.protocol}://${req.get("host")}`;
}
