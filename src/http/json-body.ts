import { isUtf8 } from "node:buffer";
import express, { type RequestHandler } from "express";
import { DomainError } from "../errors.js";

const jsonTypes = ["application/json", "application/*+json"];

const notUtf8 = "entity.not.utf8";

// body-parser tags its errors with a `type`; each becomes an entry of our catalog here, the one
// place that knows how a body can fail to be read.
const bodyParserErrors: Record<string, (e: Error) => DomainError> = {
  "entity.parse.failed": (e) => new DomainError("MalformedBody", `The body could not be parsed as JSON: ${e.message}`),
  "entity.too.large": (e) => {
    const limit = (e as Error & { limit?: number }).limit;
    return new DomainError("PayloadTooLarge", `The body is larger than the limit of ${limit} bytes.`);
  },
  "encoding.unsupported": () =>
    new DomainError("UnsupportedMediaType", "The body's Content-Encoding is not supported; use gzip, deflate, br or none."),
  "charset.unsupported": () => new DomainError("UnsupportedMediaType", "The body's charset is not supported; use utf-8."),
  "request.aborted": () => new DomainError("MalformedBody", "The request body was cut short."),
  "request.size.invalid": () => new DomainError("MalformedBody", "The body's length does not match Content-Length."),
  [notUtf8]: () =>
    new DomainError("MalformedBody", "The body is not UTF-8; JSON exchanged between systems must be (RFC 8259 §8.1).", [
      { detail: "not valid UTF-8", field: [] },
    ]),
};

/**
 * The domain error for what body-parser failed with (JSON here, forms in the sign-in pages): its
 * tagged errors, and the untagged ones of its decompression stream (zlib, brotli: `errno` and
 * `code`, status 400), which refused bytes that the Content-Encoding header said were compressed.
 */
export function bodyParserError(error: unknown): DomainError | undefined {
  const { type, status, errno, code } = (error ?? {}) as { type?: unknown; status?: unknown; errno?: unknown; code?: unknown };
  if (typeof type === "string") return bodyParserErrors[type]?.(error as Error);
  // body-parser gives the stream's error status 400; a system error of our own (a refused
  // connection also has errno and code) has none.
  if (status === 400 && typeof errno === "number" && typeof code === "string") {
    return new DomainError("MalformedBody", `The body does not match its Content-Encoding (${code}).`);
  }
  return undefined;
}

/** Parses UTF-8 JSON bodies up to `limitBytes`; any other body type or charset is a 415 and a malformed body a 400. */
export function jsonBody(limitBytes: number): RequestHandler {
  const requireJson: RequestHandler = (req, _res, next) => {
    // req.is() is null when the request carries no body at all.
    const matches = req.is(jsonTypes);
    if (matches === false) {
      return next(
        new DomainError(
          "UnsupportedMediaType",
          `Send the body as application/json, not ${req.get("content-type") ?? "an untyped body"}.`,
        ),
      );
    }
    next();
  };
  const parseJson = express.json({
    limit: limitBytes,
    type: jsonTypes,
    strict: true,
    // RFC 8259 §8.1: UTF-8 only. Without this hook the bytes would be decoded with replacement
    // characters (or as UTF-16 when a charset says so) and stored altered.
    verify: (_req, _res, bytes, charset) => {
      if (charset !== "utf-8") throw Object.assign(new Error(`charset ${charset}`), { type: "charset.unsupported" });
      if (!isUtf8(bytes)) throw Object.assign(new Error("not UTF-8"), { type: notUtf8 });
    },
  });
  // One middleware, and nothing at all for requests without a body (most of them: reads).
  return (req, res, next) => {
    if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return next();
    requireJson(req, res, (error?: unknown) => (error ? next(error) : parseJson(req, res, next)));
  };
}
