import { createHmac, timingSafeEqual } from "node:crypto";
import type { Request } from "express";

// Interaction forms are protected three ways: the interaction cookie is SameSite=Lax and bound to
// the interaction id (a cross-site POST arrives without it), a synchronizer token derived from
// the interaction id with a server-side key, and an Origin / Sec-Fetch-Site check (OWASP CSRF
// cheat sheet, "Verifying Origin With Standard Headers"; Fetch Metadata, W3C).

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

/**
 * Why a form post does not come from our own pages, or undefined when it does (as far as the
 * browser tells: a client that sends neither header is left to the token and the cookie).
 *
 * `Origin: null` is what a browser sends when it will not reveal the origin: a page under
 * `Referrer-Policy: no-referrer`, but equally a sandboxed iframe, a data: URL or a cross-origin
 * redirect of the POST (Fetch §3.2.5 "serializing a request origin"). On its own it proves
 * nothing, so it passes only when Fetch Metadata vouches for the request (Sec-Fetch-Site:
 * same-origin, which a page cannot forge: it is a forbidden request header).
 */
export function crossOriginReason(req: Request, publicOrigin: string): string | undefined {
  const site = req.get("sec-fetch-site");
  if (site !== undefined && site !== "same-origin") return `Sec-Fetch-Site is ${site}`;
  const origin = req.get("origin");
  if (origin === undefined) return undefined;
  if (origin === "null") return site === "same-origin" ? undefined : "Origin is null and Sec-Fetch-Site is missing";
  if (origin === publicOrigin || origin === `${req.protocol}://${req.get("host")}`) return undefined;
  return `Origin ${origin.slice(0, 100)} is not ${publicOrigin}`;
}
