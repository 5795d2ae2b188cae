import express, { type RequestHandler } from "express";
import { DomainError } from "../errors.js";

const jsonTypes = ["application/json", "application/*+json"];

/** Parses JSON bodies up to `limitBytes`; any other body type is a 415 and a malformed one a 400. */
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
  const parseJson = express.json({ limit: limitBytes, type: jsonTypes, strict: true });
  // One middleware, and nothing at all for requests without a body (most of them: reads).
  return (req, res, next) => {
    if (req.headers["content-length"] === undefined && req.headers["transfer-encoding"] === undefined) return next();
    requireJson(req, res, (error?: unknown) => (error ? next(error) : parseJson(req, res, next)));
  };
}
