// The one catalog of domain errors. Commands and queries throw DomainError; each entry point
// only translates it through this table (REST status, GraphQL extensions.code, WebSocket close code).

type ErrorSpec = {
  /** HTTP status (RFC 9457 problem+json). */
  status: number;
  /** Short, stable, human-readable summary of the problem type. */
  title: string;
  /** GraphQL `extensions.code`. */
  graphqlCode: string;
  /** WebSocket close code when the error ends a connection. */
  wsCloseCode: number;
};

export const errorCatalog = {
  ValidationFailed: { status: 400, title: "Your request is not valid.", graphqlCode: "BAD_USER_INPUT", wsCloseCode: 1008 },
  MalformedBody: { status: 400, title: "The request body is not valid JSON.", graphqlCode: "BAD_REQUEST", wsCloseCode: 1007 },
  Unauthenticated: { status: 401, title: "Authentication is required.", graphqlCode: "UNAUTHENTICATED", wsCloseCode: 4401 },
  Forbidden: { status: 403, title: "You are not allowed to do this.", graphqlCode: "FORBIDDEN", wsCloseCode: 4403 },
  NotFound: { status: 404, title: "The resource does not exist.", graphqlCode: "NOT_FOUND", wsCloseCode: 4404 },
  MethodNotAllowed: {
    status: 405,
    title: "The method is not allowed on this resource.",
    graphqlCode: "BAD_REQUEST",
    wsCloseCode: 1008,
  },
  NotAcceptable: {
    status: 406,
    title: "No representation matches the Accept header.",
    graphqlCode: "BAD_REQUEST",
    wsCloseCode: 1008,
  },
  Conflict: { status: 409, title: "The request conflicts with the current state.", graphqlCode: "CONFLICT", wsCloseCode: 1008 },
  PreconditionFailed: {
    status: 412,
    title: "The resource has changed since you read it.",
    graphqlCode: "PRECONDITION_FAILED",
    wsCloseCode: 1008,
  },
  PayloadTooLarge: { status: 413, title: "The request body is too large.", graphqlCode: "PAYLOAD_TOO_LARGE", wsCloseCode: 1009 },
  UnsupportedMediaType: {
    status: 415,
    title: "The request body has an unsupported media type.",
    graphqlCode: "BAD_REQUEST",
    wsCloseCode: 1003,
  },
  InvariantViolated: {
    status: 422,
    title: "The change would break a business rule.",
    graphqlCode: "INVARIANT_VIOLATED",
    wsCloseCode: 1008,
  },
  LimitExceeded: {
    status: 429,
    title: "A limit of this connection was reached.",
    graphqlCode: "LIMIT_EXCEEDED",
    wsCloseCode: 1008,
  },
  RateLimited: { status: 429, title: "Too many requests.", graphqlCode: "RATE_LIMITED", wsCloseCode: 1013 },
  Internal: { status: 500, title: "Something went wrong on our side.", graphqlCode: "INTERNAL_SERVER_ERROR", wsCloseCode: 1011 },
  Unavailable: {
    status: 503,
    title: "The service is temporarily unavailable.",
    graphqlCode: "SERVICE_UNAVAILABLE",
    wsCloseCode: 1013,
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

/**
 * One invalid field or parameter: `field`, the path into the input a command or a body was given
 * (each transport renders it: a JSON pointer for REST, a field path for GraphQL), or a query,
 * path or header parameter by name.
 */
export type FieldError = { detail: string; field: readonly (string | number)[] } | { detail: string; parameter: string };

/** RFC 6901 JSON pointer (as a URI fragment) of a field path: how REST names a body field. */
export function jsonPointer(field: readonly (string | number)[]): string {
  return `#${field.map((part) => `/${String(part).replaceAll("~", "~0").replaceAll("/", "~1")}`).join("")}`;
}

/** An error a command, query or adapter raises on purpose; its code selects the catalog entry. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    /** Safe to show to the caller. */
    message: string,
    readonly errors: FieldError[] = [],
    /** HTTP authentication challenge (RFC 9110 §11.6.1), e.g. `Bearer error="invalid_token"`; sent as WWW-Authenticate. */
    readonly challenge?: string,
  ) {
    super(message);
    this.name = code;
  }
}

/**
 * The server had no database connection free within its bound (pg's connectionTimeoutMillis):
 * overloaded, nothing was done. Raised below Prisma, which hands back any error carrying a `code`
 * re-wrapped as one of its own; this one has none, so it reaches the transports as it is, and
 * `asDomainError` reads it as Unavailable (503, UNAVAILABLE, an error frame).
 */
export class ConnectionWaitExceeded extends Error {
  constructor() {
    super("The server is too busy to do this now (no database connection came free in time); nothing was changed. Try again.");
    this.name = "ConnectionWaitExceeded";
  }
}

/** The catalog error `error` stands for, if it is one: what every transport answers with. */
export function asDomainError(error: unknown): DomainError | undefined {
  if (error instanceof DomainError) return error;
  if (error instanceof ConnectionWaitExceeded) return new DomainError("Unavailable", error.message);
  return undefined;
}

/** Kebab-case slug of a code, used in problem type URIs (`/problems/not-found`). */
export function problemSlug(code: ErrorCode): string {
  return code.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase();
}
