import type { z } from "zod";
import { DomainError, type FieldError } from "../errors.js";

type Location = "body" | "query" | "path" | "header";

const described: Record<Location, string> = { body: "body", query: "query string", path: "path", header: "headers" };

// An unknown key is reported once per object with the keys in `keys` (and the object's path):
// name each of them, as if each were its own issue.
function issuesPerField(issues: z.core.$ZodIssue[], unknown: string): { path: PropertyKey[]; message: string }[] {
  return issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ path: [...issue.path, key], message: unknown }))
      : [{ path: issue.path, message: issue.message }],
  );
}

/**
 * Parses `input` with `schema`, or throws ValidationFailed naming each bad field: a JSON pointer
 * into the body, or the name of the query, path or header parameter.
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: Location): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = issuesPerField(
    result.error.issues,
    location === "body" ? "unknown field" : "unknown parameter",
  ).map((issue) => {
    if (location === "body")
      return { detail: issue.message, field: issue.path.map((part) => (typeof part === "symbol" ? String(part) : part)) };
    return { detail: issue.message, parameter: String(issue.path[0] ?? "") };
  });
  throw new DomainError("ValidationFailed", `The request ${described[location]} has ${errors.length} invalid field(s).`, errors);
}
