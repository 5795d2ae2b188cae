import type { NextFunction, Request, RequestHandler, Response, Router } from "express";
import { DomainError } from "../errors.js";

/** API versions this server speaks; v1 is the default for clients that do not ask. */
export const supportedVersions = [1, 2] as const;
export type ApiVersion = (typeof supportedVersions)[number];
export const defaultVersion: ApiVersion = 1;

/** v1's retirement, announced on every v1 answer (RFC 9745 Deprecation, RFC 8594 Sunset). */
export const v1Deprecation = { deprecatedAt: new Date("2026-11-01T00:00:00Z"), sunsetAt: new Date("2027-06-30T00:00:00Z") };

/** The media type a version answers with, e.g. application/vnd.stockroom.v2+json. */
export const versionMediaType = (version: ApiVersion) => `application/vnd.stockroom.v${version}+json`;

// Accept: application/vnd.stockroom.v2+json, or application/json; version=2. The first media range
// that names a version decides; none naming one means the default version.
function requestedVersion(accept: string | undefined): number | undefined {
  for (const range of (accept ?? "").split(",")) {
    const vendor = /application\/vnd\.stockroom\.v(\d+)\+json/i.exec(range);
    if (vendor) return Number(vendor[1]);
    const parameter = /^\s*application\/(json|\*)\s*;(?:.*;)?\s*version\s*=\s*"?(\d+)"?/i.exec(range);
    if (parameter) return Number(parameter[2]);
  }
  return undefined;
}

/** Announces v1's retirement on every v1 answer, with a Link to the same resource in v2. */
export const v1DeprecationHeaders: RequestHandler = (req, res, next) => {
  res.set("Deprecation", `@${Math.floor(v1Deprecation.deprecatedAt.getTime() / 1000)}`);
  res.set("Sunset", v1Deprecation.sunsetAt.toUTCString());
  const successor = req.originalUrl.replace(/^\/api(\/v1)?/, "/api/v2");
  res.append("Link", `<${successor}>; rel="successor-version"`);
  next();
};

/** `/api/...` without a version in the path: picks v1 or v2 from the Accept header, else 406. */
export function negotiatedVersion(routers: Record<ApiVersion, Router>): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    res.vary("Accept");
    const asked = requestedVersion(req.get("accept"));
    const version = asked ?? defaultVersion;
    if (!supportedVersions.includes(version as ApiVersion)) {
      return next(
        new DomainError(
          "NotAcceptable",
          `API version ${asked} is not supported; ask for one of: ${supportedVersions.map((v) => `application/vnd.stockroom.v${v}+json`).join(", ")}.`,
        ),
      );
    }
    routers[version as ApiVersion](req, res, next);
  };
}
