import { z } from "zod";
import { DomainError } from "../errors.js";

// Opaque page cursors: base64url JSON of the last row's sort key and the direction to go.
// Keyset pagination over (sort fields…, id) is stable under inserts, unlike offsets.
const cursorSchema = z.object({
  /** Sort key values of the boundary row, in sort order, id last. */
  k: z
    .array(z.union([z.string(), z.number(), z.null()]))
    .min(1)
    .max(8),
  /** "n": rows after the boundary; "p": rows before it. */
  d: z.enum(["n", "p"]),
});
export type Cursor = z.infer<typeof cursorSchema>;

/** Encodes a cursor for a response. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

/** Decodes a client's cursor, or throws ValidationFailed naming the parameter. */
export function decodeCursor(text: string, parameter = "cursor"): Cursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new DomainError("ValidationFailed", "The cursor is not one this API issued.", [
      { detail: "malformed or tampered cursor; use the one from the previous page", parameter },
    ]);
  }
}
