import { CombinedGraphQLErrors, ServerError } from "@apollo/client/errors";
import { describe, expect, it } from "vitest";
import { describeGraphQLError } from "../../src/api/graphql-errors";
import { NetworkError } from "../../src/api/problem";

describe("GraphQL failures in words", () => {
  it("says what extensions.code means, or repeats the server's messages", () => {
    const errors = (code: string, message = "x") => new CombinedGraphQLErrors({ errors: [{ message, extensions: { code } }] });
    expect(describeGraphQLError(errors("UNAUTHENTICATED"))).toBe("Your sign-in has ended. Sign in again to continue.");
    expect(describeGraphQLError(errors("FORBIDDEN"))).toBe("Your sign-in does not allow this.");
    expect(describeGraphQLError(errors("BAD_USER_INPUT", "limit must be 1-100."))).toBe("limit must be 1-100.");
  });

  it("names an error status and an unreachable server", () => {
    const answer = (status: number) => new ServerError("bad", { response: new Response(null, { status }), bodyText: "" });
    expect(describeGraphQLError(answer(401))).toBe("Your sign-in has ended. Sign in again to continue.");
    expect(describeGraphQLError(answer(503))).toBe("The server answered 503. Try again.");
    expect(describeGraphQLError(new NetworkError(new TypeError("fetch failed")))).toBe(
      "The server could not be reached. Check your connection and try again.",
    );
  });
});
