import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { describeError } from "./problem";

// GraphQL failures in words. Failures of authentication, permission or the server are errors of
// the response with `extensions.code`; what the caller can fix comes as typed payload errors.

const byCode: Record<string, string> = {
  UNAUTHENTICATED: "Your sign-in has ended. Sign in again to continue.",
  FORBIDDEN: "Your sign-in does not allow this.",
  SERVICE_UNAVAILABLE: "The server is busy. Try again in a moment.",
};

/** A sentence a person can act on, for any error an Apollo operation reports. */
export function describeGraphQLError(error: unknown): string {
  if (CombinedGraphQLErrors.is(error)) {
    const code = error.errors[0]?.extensions?.code;
    if (typeof code === "string" && byCode[code]) return byCode[code];
    return error.errors.map((e) => e.message).join(" ");
  }
  if (ServerError.is(error)) {
    if (error.statusCode === 401) return byCode.UNAUTHENTICATED ?? error.message;
    return `The server answered ${error.statusCode}. Try again.`;
  }
  return describeError(error);
}
