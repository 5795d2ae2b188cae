// Conditional requests (RFC 9110 §13), evaluated here and nowhere else.
//
// Entity tags: an answer's ETag is derived from the bytes it sends (and their media type), so it
// changes whenever they change, whatever shaped them: an embedded category, `fields=`, v1 or v2,
// live stock, a new release's presenter (RFC 9110 §8.8.1: a strong validator). The tag of a
// versioned resource (a product) starts with its version, `"v3-<digest>"`: a write's If-Match is
// compared with that version, the part of the state a write can lose (see acceptedVersions).
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { Express, Request } from "express";
import { DomainError } from "../errors.js";

/** One entity tag (RFC 9110 §8.8.3); `opaque` keeps its double quotes. */
export type EntityTag = { weak: boolean; opaque: string };

/** The strong ETag of a representation: a digest of its media type and bytes, after the version of the resource when it has one. */
export function representationETag(contentType: string, bytes: Buffer, version?: number): string {
  // Hex never contains "v" or "-", so an unversioned tag can never be read as a versioned one.
  // The bytes are hashed where they are, not joined to the type into one more copy of the answer.
  const digest = createHash("sha256").update(contentType).update("\n").update(bytes).digest("hex").slice(0, 24);
  return version === undefined ? `"${digest}"` : `"v${version}-${digest}"`;
}

// entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text: commas may
// appear inside a tag, so a list is read tag by tag, not split on commas (RFC 9110 §8.8.3, §5.6.1).
const listedTag = /[\t ]*(?:(W\/)?("[\x21\x23-\x7e\x80-\xff]*"))?[\t ]*(?:,|$)/y;

/** Parses an If-Match / If-None-Match value: `*`, a list of entity tags, or undefined when it is not valid. */
export function parseEntityTags(value: string): "*" | EntityTag[] | undefined {
  if (value.trim() === "*") return "*";
  const tags: EntityTag[] = [];
  listedTag.lastIndex = 0;
  while (listedTag.lastIndex < value.length) {
    const start = listedTag.lastIndex;
    const match = listedTag.exec(value);
    if (!match || listedTag.lastIndex === start) return undefined;
    if (match[2]) tags.push({ weak: match[1] !== undefined, opaque: match[2] });
    // Empty list elements (", ,") are allowed and ignored (RFC 9110 §5.6.1).
  }
  return tags.length > 0 ? tags : undefined;
}

/**
 * Whether a GET/HEAD may answer 304 (RFC 9110 §13.1.2, §13.1.3, evaluated in §13.2.2's order):
 * If-None-Match by weak comparison, `*` for any current representation; If-Modified-Since only
 * when there is no If-None-Match. The request's Cache-Control plays no part: no-cache is
 * addressed to caches (RFC 9111 §5.2.1.4), not to the origin.
 */
export function notModified(headers: IncomingHttpHeaders, current: { etag?: string; lastModified?: string }): boolean {
  const noneMatch = headers["if-none-match"];
  if (noneMatch !== undefined) {
    const listed = parseEntityTags(noneMatch);
    if (listed === "*") return true;
    const tag = current.etag === undefined ? undefined : parseEntityTags(current.etag);
    if (!listed || !Array.isArray(tag) || !tag[0]) return false;
    const ours = tag[0].opaque;
    return listed.some((candidate) => candidate.opaque === ours);
  }
  const since = Date.parse(headers["if-modified-since"] ?? "");
  const modified = Date.parse(current.lastModified ?? "");
  return !Number.isNaN(since) && !Number.isNaN(modified) && modified <= since;
}

/**
 * Makes Express's `req.fresh`, which `res.send` answers 304 from, evaluate `notModified`:
 * Express's own check (the `fresh` package) never answers 304 to a request carrying
 * `Cache-Control: no-cache`, which Node's and browsers' fetch() add to every conditional request.
 */
export function evaluateConditionalRequests(app: Express): void {
  Object.defineProperty(app.request, "fresh", {
    configurable: true,
    enumerable: true,
    get(this: Request) {
      if (this.method !== "GET" && this.method !== "HEAD") return false;
      const status = this.res?.statusCode ?? 0;
      if ((status < 200 || status >= 300) && status !== 304) return false;
      return notModified(this.headers, {
        etag: this.res?.get("ETag"),
        lastModified: this.res?.get("Last-Modified"),
      });
    },
  });
}

const versionedTag = /^"v(\d{1,9})(?:-[0-9a-f]*)?"$/;

/**
 * The versions of a resource an If-Match header accepts (RFC 9110 §13.1.1): undefined when there
 * is no header or it is `*` (a write to a missing resource is a 404 anyway), else the versions
 * its strong tags name; weak tags never match If-Match, and a list of only those accepts none.
 *
 * Only the version is compared, not the digest after it: a tag read from any view of the
 * resource (v1 or v2, `include=category`, `fields=`, other stock) names the state it was read
 * at, and that state is what a write could overwrite unseen. What else shaped those bytes
 * (an embedded category, stock) is not changed by the write and cannot be lost by it.
 */
export function acceptedVersions(req: Request): number[] | undefined {
  const header = req.get("if-match");
  if (header === undefined) return undefined;
  const listed = parseEntityTags(header);
  if (listed === undefined) {
    throw new DomainError("ValidationFailed", `If-Match must be * or a list of quoted entity tags, e.g. "v3-…"; got ${header}.`, [
      { detail: "a list of entity tags from an ETag, or *", parameter: "If-Match" },
    ]);
  }
  if (listed === "*") return undefined;
  return listed.flatMap((tag) => {
    const version = tag.weak ? undefined : versionedTag.exec(tag.opaque)?.[1];
    return version === undefined ? [] : [Number(version)];
  });
}
