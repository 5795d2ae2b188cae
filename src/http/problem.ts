import type { ErrorRequestHandler, Request, RequestHandler, Response } from "express";
import { asDomainError as catalogError, DomainError, type ErrorCode, errorCatalog, jsonPointer, problemSlug } from "../errors.js";
import type { Logger } from "../logger.js";
import { bodyParserError } from "./json-body.js";

/** RFC 9457 problem details document. */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  /** Each invalid field, by JSON pointer into the body, or by parameter name. */
  errors?: ({ detail: string; pointer: string } | { detail: string; parameter: string })[];
};

export const problemContentType = "application/problem+json";

/** Renders a domain error as the problem document the caller sees. */
export function toProblem(error: DomainError, instance: string): Problem {
  const spec = errorCatalog[error.code];
  return {
    type: `/problems/${problemSlug(error.code)}`,
    title: spec.title,
    status: spec.status,
    detail: error.message,
    instance,
    code: error.code,
    ...(error.errors.length > 0
      ? { errors: error.errors.map((e) => ("field" in e ? { detail: e.detail, pointer: jsonPointer(e.field) } : e)) }
      : {}),
  };
}

/** Answers a request with a problem+json document for `error`. */
export function sendProblem(req: Request, res: Response, error: DomainError): void {
  const problem = toProblem(error, req.originalUrl);
  if (error.challenge) res.setHeader("WWW-Authenticate", error.challenge);
  res.status(problem.status).type(problemContentType).send(JSON.stringify(problem));
}

function asDomainError(error: unknown): DomainError | undefined {
  return catalogError(error) ?? bodyParserError(error);
}

/** The last middleware: every error leaves as problem+json, never as a stack trace. */
export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const known = asDomainError(error);
    if (known) return sendProblem(req, res, known);
    (req.log ?? logger).error({ err: error }, "unhandled error");
    sendProblem(req, res, new DomainError("Internal", "An unexpected error occurred; it has been logged."));
  };
}

/** Answers 404 problem+json for any route nothing else handled. */
export const unknownRoute: RequestHandler = (req, res) => {
  sendProblem(req, res, new DomainError("NotFound", `No route matches ${req.method} ${req.path}.`));
};
