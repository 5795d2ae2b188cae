import type { Request } from "express";
import { DomainError } from "../errors.js";

// Strong validators built from an entity's version column: a version changes with every write,
// so equal versions mean byte-equal representations of the same resource (RFC 9110 §8.8.3).

/** The ETag of a versioned resource. */
export function versionETag(version: number): string {
  return `"v${version}"`;
}

/**
 * The version an If-Match header requires (RFC 9110 §13.1.1), or undefined when there is none
 * or it is `*`. A header naming no version of ours can never match: 412.
 */
export function requiredVersion(req: Request): number | undefined {
  const header = req.get("if-match")?.trim();
  if (!header || header === "*") return undefined;
  // v2 product ETags also carry the stock version ("v3-s7"); only the product version must match.
  const match = /^"v(\d{1,9})(-s\d{1,9})?"$/.exec(header);
  if (!match) throw new DomainError("PreconditionFailed", `If-Match ${header} does not match the current version.`);
  return Number(match[1]);
}
