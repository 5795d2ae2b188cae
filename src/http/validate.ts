import type { z } from "zod";
import { DomainError, type FieldError } from "../errors.js";

type Location = "body" | "query" | "path";

/** Parses `input` with `schema`, or throws ValidationFailed naming each bad field (JSON pointer or parameter). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, location: Location): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.map((issue) => {
    if (location === "body") {
      const pointer = issue.path.map((part) => String(part).replaceAll("~", "~0").replaceAll("/", "~1")).join("/");
      return { detail: issue.message, pointer: `#/${pointer}` };
    }
    return { detail: issue.message, parameter: String(issue.path[0] ?? "") };
  });
  const where = location === "body" ? "body" : location === "query" ? "query string" : "path";
  throw new DomainError("ValidationFailed", `The request ${where} has ${errors.length} invalid field(s).`, errors);
}
