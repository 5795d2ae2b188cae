// Examples of the problem documents an operation's documented errors answer with, so that
// Swagger UI and Redoc show for every status the type, title and code that really come with it
// (a schema-level example would show one error's type under every status).
import { DomainError, type ErrorCode, type FieldError } from "../errors.js";
import { type Problem, toProblem } from "../http/problem.js";

type ExampleContext = { scopes: readonly string[]; hasBody: boolean };

const sampleErrors: Record<ErrorCode, (context: ExampleContext) => { detail: string; errors?: FieldError[] }> = {
  ValidationFailed: ({ hasBody }) => ({
    detail: "The request is not valid; see errors.",
    errors: [
      hasBody ? { detail: "Required", field: ["name"] } : { detail: "Too big: expected number to be <=100", parameter: "limit" },
    ],
  }),
  MalformedBody: () => ({ detail: "The body could not be parsed as JSON: Unexpected end of JSON input" }),
  Unauthenticated: ({ scopes }) => ({
    detail: scopes.length > 0 ? "This operation needs an access token." : "The access token is not valid: it has expired.",
  }),
  Forbidden: ({ scopes }) => ({ detail: `The access token lacks the scope ${scopes.join(" ") || "needed"}.` }),
  NotFound: () => ({ detail: "Product 42 does not exist." }),
  MethodNotAllowed: () => ({ detail: "PUT is not supported here; use GET, HEAD, PATCH, DELETE." }),
  NotAcceptable: () => ({
    detail:
      "Nothing here matches your Accept header; ask for one of: application/vnd.stockroom.v2+json, application/json; version=2.",
    errors: [{ detail: "one of application/vnd.stockroom.v2+json, application/json; version=2", parameter: "Accept" }],
  }),
  Conflict: () => ({ detail: "A product with SKU MUG-001 already exists." }),
  PreconditionFailed: () => ({ detail: "Product 42 is at version 4, not 3." }),
  PayloadTooLarge: () => ({ detail: "The body is larger than the limit of 102400 bytes." }),
  UnsupportedMediaType: () => ({ detail: "Send the body as application/json." }),
  InvariantViolated: () => ({ detail: "Stock of product 42 cannot go below zero (on hand 3, asked to ship 5)." }),
  LimitExceeded: () => ({ detail: "A socket may watch at most 50 topics; unsubscribe from one first." }),
  RateLimited: () => ({ detail: "Too many requests; try again in 60 seconds." }),
  Internal: () => ({ detail: "An unexpected error occurred; it has been logged." }),
  Unavailable: () => ({ detail: "The database is not reachable; try again shortly." }),
};

/** OpenAPI `examples` for one status: one problem document per error code that answers with it. */
export function problemExamples(codes: readonly ErrorCode[], instance: string, context: ExampleContext) {
  return Object.fromEntries(
    codes.map((code) => {
      const sample = sampleErrors[code](context);
      const value: Problem = toProblem(new DomainError(code, sample.detail, sample.errors), instance);
      return [code, { summary: value.title, value }];
    }),
  );
}
