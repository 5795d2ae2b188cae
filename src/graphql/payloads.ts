// Mutation payloads: the written object, or typed user errors saying why nothing was written.
// Only errors the caller can act on become user errors; authentication, permission and server
// failures stay errors of the response (extensions.code), as a client must handle them anyway.
import { DomainError, type ErrorCode, errorCatalog } from "../errors.js";
import { dotted } from "./input.js";

type UserError = { __typename: string; message: string; code: string; field?: string | null; path?: string[] | null };

const userErrorTypes: Partial<Record<ErrorCode, string>> = {
  ValidationFailed: "ValidationError",
  Conflict: "ConflictError",
  PreconditionFailed: "ConflictError",
  NotFound: "NotFoundError",
  InvariantViolated: "InvariantError",
};

function userErrors(error: DomainError, __typename: string): UserError[] {
  const code = errorCatalog[error.code].graphqlCode;
  if (__typename !== "ValidationError") return [{ __typename, message: error.message, code }];
  if (error.errors.length === 0) return [{ __typename, message: error.message, code, field: null, path: null }];
  return error.errors.map((e) =>
    "field" in e
      ? { __typename, message: e.detail, code, field: dotted(e.field), path: e.field.map(String) }
      : { __typename, message: e.detail, code, field: e.parameter, path: [e.parameter] },
  );
}

/** `{ [key]: what work wrote, errors: [] }`, or `{ [key]: null, errors }` when the core refused it for a reason the caller can fix. */
export async function payload<K extends string, T>(key: K, work: () => Promise<T>) {
  try {
    return { [key]: await work(), errors: [] as UserError[] } as Record<K, T | null> & { errors: UserError[] };
  } catch (error) {
    const type = error instanceof DomainError ? userErrorTypes[error.code] : undefined;
    if (!type || !(error instanceof DomainError)) throw error;
    return { [key]: null, errors: userErrors(error, type) } as Record<K, T | null> & { errors: UserError[] };
  }
}

/** Resolves the UserError interface to the type payload() tagged. */
export const userErrorResolvers = {
  UserError: { __resolveType: (error: UserError) => error.__typename },
};
