// Arguments as the core takes them: parsed with the core's own zod schemas, paging bounds, and
// every refusal a ValidationFailed naming the argument's path (`input.price.amount`).
import type { z } from "zod";
import { DomainError, type FieldError } from "../errors.js";

/** A path into an operation's arguments. */
export type ArgumentPath = readonly (string | number)[];

/** The dotted form of a path, as ValidationError.field shows it. */
export const dotted = (path: readonly (string | number)[]) => path.join(".");

/** `value` parsed with `schema`, or ValidationFailed naming each bad field below `path`. */
export function parseArgument<S extends z.ZodType>(schema: S, value: unknown, path: ArgumentPath): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldError[] = result.error.issues.flatMap((issue) => {
    const at = [...path, ...issue.path.map((part) => (typeof part === "symbol" ? String(part) : part))];
    // One unknown-keys issue names several keys: one error per key, like any other field.
    return issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ detail: "unknown field", field: [...at, key] }))
      : [{ detail: issue.message, field: at }];
  });
  const first = errors[0];
  const where = first && "field" in first ? dotted(first.field) : dotted(path);
  throw new DomainError("ValidationFailed", `${where}: ${first?.detail ?? "invalid"}`, errors);
}

/** The largest page any list field gives. */
export const maxPageSize = 100;

/** A page size argument: 1 to 100, `fallback` when absent. */
export function pageSize(value: number | null | undefined, argument: string, fallback = 20): number {
  const size = value ?? fallback;
  if (!Number.isInteger(size) || size < 1 || size > maxPageSize) {
    throw new DomainError("ValidationFailed", `${argument} must be between 1 and ${maxPageSize}.`, [
      { detail: `must be between 1 and ${maxPageSize}`, field: [argument] },
    ]);
  }
  return size;
}

/** Drops the keys whose value is null or undefined: GraphQL's "not given" for an optional field. */
export function given<T extends Record<string, unknown>>(input: T): { [K in keyof T]?: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== null && value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], null>;
  };
}
