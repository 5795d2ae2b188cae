// Errors as GraphQL clients see them: a DomainError keeps its message and gets the catalog's
// code as extensions.code (and its fields), everything unexpected is masked and logged.
import { unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { asDomainError, type DomainError, errorCatalog } from "../errors.js";
import type { Logger } from "../logger.js";
import { dotted } from "./input.js";

/** extensions.fields of a ValidationFailed: each bad argument by path, and why. */
function fieldsOf(error: DomainError) {
  return error.errors.map((e) =>
    "field" in e
      ? { field: dotted(e.field), path: e.field.map(String), message: e.detail }
      : { field: e.parameter, message: e.detail },
  );
}

/** The GraphQL error a domain error becomes (for errors raised outside resolvers, e.g. while authenticating). */
export function toGraphQLError(error: DomainError): GraphQLError {
  const spec = errorCatalog[error.code];
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: {
      code: spec.graphqlCode,
      ...(error.errors.length ? { fields: fieldsOf(error) } : {}),
      http: { status: spec.status, headers: new Map(error.challenge ? [["www-authenticate", error.challenge]] : []) },
    },
  });
}

// Apollo's own codes for what it refused before execution: their messages are meant for clients.
const clientCodes = new Set([
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "OPERATION_RESOLUTION_FAILURE",
]);

/** Apollo's formatError: domain errors translated, unknown ones masked (and logged with their stack). */
export function formatError(logger: Logger, includeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A resolver's error comes wrapped with its path; an iterator's (a subscription ending) without one.
    const unwrapped = unwrapResolverError(error);
    const original = unwrapped instanceof GraphQLError && unwrapped.originalError ? unwrapped.originalError : unwrapped;
    const domain = asDomainError(original);
    if (domain) {
      const spec = errorCatalog[domain.code];
      return {
        message: domain.message,
        ...(formatted.locations ? { locations: formatted.locations } : {}),
        ...(formatted.path ? { path: formatted.path } : {}),
        extensions: { code: spec.graphqlCode, ...(domain.errors.length ? { fields: fieldsOf(domain) } : {}) },
      };
    }
    const code = formatted.extensions?.code;
    if (typeof code === "string" && clientCodes.has(code)) return formatted;
    if (original instanceof GraphQLError && typeof code === "string" && code !== "INTERNAL_SERVER_ERROR") return formatted;
    logger.error({ err: original, path: formatted.path }, "GraphQL operation failed");
    return {
      message: "Something went wrong on our side; it has been logged.",
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: {
        code: errorCatalog.Internal.graphqlCode,
        ...(includeStack && original instanceof Error ? { stacktrace: original.stack?.split("\n") } : {}),
      },
    };
  };
}
