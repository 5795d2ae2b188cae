// Every event type Stockroom appends, composed from each module's events file: the append path
// refuses data that does not match its type's schema, and readers hand out events typed by it.
import type { z } from "zod";
import { blogEvents } from "../modules/blog/events.js";
import { catalogEvents } from "../modules/catalog/events.js";
import { inventoryEvents } from "../modules/inventory/events.js";
import type { EventDefinition } from "./schema.js";

export const eventRegistry = { ...catalogEvents, ...blogEvents, ...inventoryEvents } satisfies Record<string, EventDefinition>;

type Registry = typeof eventRegistry;

/** "ProductCreated" | … | "StockShipped". */
export type EventType = keyof Registry;

/** The stream type events of `Type` are appended to. */
export type StreamTypeOf<Type extends EventType> = Registry[Type]["stream"];

/** "product" | "post" | "inventory". */
export type StreamType = StreamTypeOf<EventType>;

/** The data of an event of `Type`, as appended and as read. */
export type EventData<Type extends EventType> = z.infer<Registry[Type]["data"]>;

/** True for a type the registry knows. */
export function isEventType(type: string): type is EventType {
  return Object.hasOwn(eventRegistry, type);
}

/** Thrown when an event does not match its schema: a programming error, never the caller's input. */
export class InvalidEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "InvalidEventError";
  }
}

/**
 * Checks that `data` is a valid event of `type` on `streamType` and returns it as parsed;
 * throws InvalidEventError naming the type (and `where`, e.g. a feed position) otherwise.
 */
export function parseEvent<Type extends EventType>(type: Type, streamType: string, data: unknown, where = ""): EventData<Type> {
  if (!isEventType(type)) throw new InvalidEventError(`Unknown event type ${String(type)}${where}.`);
  const definition: EventDefinition = eventRegistry[type];
  if (definition.stream !== streamType) {
    throw new InvalidEventError(`${type} belongs on a "${definition.stream}" stream, not "${streamType}"${where}.`);
  }
  const parsed = definition.data.safeParse(data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(data)"}: ${i.message}`).join("; ");
    throw new InvalidEventError(`${type} data does not match its schema${where}: ${issues}`);
  }
  return parsed.data as EventData<Type>;
}
