import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import Negotiator from "negotiator";
import { DomainError } from "../errors.js";

/** API versions this server speaks; v1 is the default for clients that do not ask. */
export const supportedVersions = [1, 2] as const;
export type ApiVersion = (typeof supportedVersions)[number];
export const defaultVersion: ApiVersion = 1;

/** v1's retirement, announced on every v1 answer (RFC 9745 Deprecation, RFC 8594 Sunset). */
export const v1Deprecation = { deprecatedAt: new Date("2026-11-01T00:00:00Z"), sunsetAt: new Date("2027-06-30T00:00:00Z") };

/** The media type a version answers with, e.g. application/vnd.stockroom.v2+json. */
export const versionMediaType = (version: ApiVersion) => `application/vnd.stockroom.v${version}+json`;

// How a client may name each version in Accept (RFC 9110 §12.5.1): our vendor type, or JSON with
// a `version` parameter; a range without parameters (`application/json`, `application/*`, `*/*`)
// takes any of them. All are offered with the charset we send, so `charset=utf-8` matches too.
const offeredTypes = (version: ApiVersion) => [
  `${versionMediaType(version)}; charset=utf-8`,
  `application/json; charset=utf-8; version=${version}`,
];

/**
 * The version the request's Accept prefers among `versions` (listed in our order of preference,
 * which breaks ties), or undefined when Accept rules out every one of them. Uses the q-values,
 * parameters and specificity of each media range (negotiator); no Accept accepts anything.
 */
export function acceptedVersion(req: Request, versions: readonly ApiVersion[]): ApiVersion | undefined {
  // No Accept, or one that takes anything (what most API clients send): our first preference.
  const accept = req.headers.accept;
  if (accept === undefined || accept === "*/*") return versions[0];
  const offers = versions.flatMap((version) => offeredTypes(version).map((type) => ({ type, version })));
  const [best] = new Negotiator(req).mediaTypes(offers.map((offer) => offer.type));
  return offers.find((offer) => offer.type === best)?.version;
}

function notAcceptable(versions: readonly ApiVersion[], hint = ""): DomainError {
  const types = versions.flatMap((version) => [versionMediaType(version), `application/json; version=${version}`]);
  return new DomainError(
    "NotAcceptable",
    `Nothing here matches your Accept header; ask for one of: ${types.join(", ")}.${hint}`,
    [{ detail: `one of ${types.join(", ")}`, parameter: "Accept" }],
  );
}

/** Announces v1's retirement on every v1 answer, with a Link to the same resource in v2. */
export const v1DeprecationHeaders: RequestHandler = (req, res, next) => {
  res.set("Deprecation", `@${Math.floor(v1Deprecation.deprecatedAt.getTime() / 1000)}`);
  res.set("Sunset", v1Deprecation.sunsetAt.toUTCString());
  const successor = req.originalUrl.replace(/^\/api(\/v1)?/, "/api/v2");
  res.append("Link", `<${successor}>; rel="successor-version"`);
  next();
};

/**
 * `/api/vN/...`: the path chose the version, and Accept is still honoured: one that rules out
 * this version's JSON (`text/html` alone, or another version's type) answers 406 rather than a
 * representation the client said it cannot use (RFC 9110 §12.5.1 allows either; a silent
 * mismatch is the worse of the two). The answer varies with Accept, so caches must know.
 */
export function acceptableAt(version: ApiVersion): RequestHandler {
  return (req, res, next) => {
    res.vary("Accept");
    if (acceptedVersion(req, [version]) === undefined) {
      return next(notAcceptable([version], ` This path serves v${version} only; /api without a version negotiates.`));
    }
    next();
  };
}

/** `/api/...` without a version in the path: the version Accept prefers (none named: v1), else 406. */
export function negotiatedVersion(routers: Record<ApiVersion, Router>): RequestHandler {
  const preference = [defaultVersion, ...supportedVersions.filter((version) => version !== defaultVersion)];
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary("Accept");
    const version = acceptedVersion(req, preference);
    if (version === undefined) return next(notAcceptable(supportedVersions));
    routers[version](req, res, next);
  };
}
