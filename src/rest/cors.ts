// CORS for /api (Fetch standard, "CORS protocol"): browser apps on the configured origins
// (CORS_ORIGINS) may call the API with a bearer token. No cookies are involved, so credentials
// mode stays off. Any other origin gets no CORS headers at all, and its browser refuses to hand
// the answer to the page; the request itself is answered as usual (CORS is not access control:
// tokens and scopes are).
import cors, { type CorsOptions } from "cors";
import type { RequestHandler } from "express";

/** Request headers a browser app may send: the ones our operations read. */
export const corsAllowedHeaders = ["Authorization", "Accept", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key"];

/** Response headers a browser app may read, besides the CORS-safelisted ones. */
export const corsExposedHeaders = ["ETag", "Link", "Location", "Deprecation", "Sunset", "Warning", "X-Request-Id", "Retry-After"];

const allowedOriginOptions: CorsOptions = {
  origin: true, // reflect the (allow-listed) Origin
  methods: ["GET", "HEAD", "POST", "PATCH", "DELETE"],
  allowedHeaders: corsAllowedHeaders,
  exposedHeaders: corsExposedHeaders,
  maxAge: 600,
};

/** CORS for the API: the allow-listed origins get CORS headers (preflights answered 204), others none. */
export function apiCors(allowedOrigins: readonly string[]): RequestHandler {
  const allowed = new Set(allowedOrigins);
  // `origin: false` makes the cors package add nothing and pass the request on.
  const middleware = cors((req, callback) =>
    callback(null, allowed.has(req.headers.origin ?? "") ? allowedOriginOptions : { origin: false }),
  );
  return (req, res, next) => {
    // Whether CORS headers are sent depends on Origin, for disallowed origins too (RFC 9110 §12.5.5).
    res.vary("Origin");
    // No Origin: not a CORS request (a browser always sends one cross-origin), nothing to add.
    if (req.headers.origin === undefined) return next();
    middleware(req, res, next);
  };
}
