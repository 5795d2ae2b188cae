// What every event type is made of: the stream it belongs to and the zod schema of its data.
// Each module declares its own event types with defineEvents; src/events/registry.ts joins them.
import { z } from "zod";

/** One event type: the stream type its events are appended to, and the schema of their data. */
export type EventDefinition<Stream extends string = string, Data extends z.ZodType = z.ZodType> = {
  stream: Stream;
  data: Data;
};

/** Declares a module's event types on one stream type: `{ TypeName: dataSchema, … }`. */
export function defineEvents<Stream extends string, Schemas extends Record<string, z.ZodType>>(
  stream: Stream,
  schemas: Schemas,
): { [Type in keyof Schemas]: EventDefinition<Stream, Schemas[Type]> } {
  return Object.fromEntries(Object.entries(schemas).map(([type, data]) => [type, { stream, data }])) as {
    [Type in keyof Schemas]: EventDefinition<Stream, Schemas[Type]>;
  };
}

/** Metadata stored beside every event: who caused it and how to correlate it; never broadcast data. */
export const eventMetadataSchema = z.object({
  actor: z.string(),
  correlationId: z.string().optional(),
  idempotencyKey: z.string().optional(),
});

export type EventMetadata = z.infer<typeof eventMetadataSchema>;
