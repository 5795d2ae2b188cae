// Global object ids (the Relay "Object Identification" convention): base64 of "<Type>:<database id>",
// so node(id) can tell which type an id names, and an id of one type is never taken for another.
import { DomainError } from "../errors.js";
import { int4 } from "../modules/shared/fields.js";

/** The object types whose ids are global, each fetchable with node(id). */
export const nodeTypes = ["Product", "Category", "Post", "Comment", "User"] as const;
export type NodeType = (typeof nodeTypes)[number];

/** The global id of row `id` of `type`. */
export function toGlobalId(type: NodeType, id: number): string {
  // Type names and decimal ids are ASCII, which btoa encodes as UTF-8 would (and faster than a Buffer).
  return btoa(`${type}:${id}`);
}

/** The type and database id a global id names; undefined for anything else. */
export function parseGlobalId(globalId: string): { type: NodeType; id: number } | undefined {
  const [type, id, rest] = Buffer.from(globalId, "base64").toString("utf8").split(":");
  if (rest !== undefined || !nodeTypes.includes(type as NodeType) || !/^[1-9][0-9]{0,9}$/.test(id ?? "")) return undefined;
  const number = Number(id);
  return number <= int4.max ? { type: type as NodeType, id: number } : undefined;
}

/**
 * The database id of an `ID` argument that must name a `type`: its global id, or (for clients
 * that keep REST's numbers) the plain decimal id. Anything else is ValidationFailed naming `field`.
 */
export function idOf(type: NodeType, value: string, field: readonly (string | number)[]): number {
  if (/^[1-9][0-9]{0,9}$/.test(value) && Number(value) <= int4.max) return Number(value);
  const parsed = parseGlobalId(value);
  if (parsed?.type === type) return parsed.id;
  throw new DomainError("ValidationFailed", `${field.join(".")} is not the id of a ${type}.`, [
    { detail: `must be a ${type} id`, field },
  ]);
}
