// The frames of the WebSocket protocol (documented in asyncapi.yaml): what a client may send,
// parsed with zod, and the frames the server sends besides events (hub.ts serializes those).
import { z } from "zod";
import { asDomainError, DomainError, type ErrorCode, errorCatalog, type FieldError } from "../errors.js";
import { text } from "../modules/shared/fields.js";

const topic = text().min(1).max(200);
const since = text().min(1).max(100).optional();

/** Every frame a client may send. */
export const clientFrame = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("subscribe"), topic, since }),
  z.strictObject({ type: z.literal("unsubscribe"), topic }),
  z.strictObject({ type: z.literal("ping") }),
  z.strictObject({ type: z.literal("auth"), token: text().min(1).max(8192) }),
  // The text's own rules are the core's (commentInput); here only its type.
  z.strictObject({
    type: z.literal("comment"),
    postId: z.number().int(),
    text: z.string(),
    clientId: z.uuid(),
  }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

/** A field error as frames carry it: `field` a dotted path, or `parameter`. */
type FrameFieldError = { field: string; detail: string } | { parameter: string; detail: string };

function frameErrors(errors: readonly FieldError[]): FrameFieldError[] {
  return errors.map((e) => ("field" in e ? { field: e.field.join("."), detail: e.detail } : e));
}

/** Parses a text frame; ValidationFailed (or MalformedBody for non-JSON) naming what is wrong. */
export function parseClientFrame(data: string): ClientFrame {
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    throw new DomainError("MalformedBody", "The frame is not valid JSON.");
  }
  const parsed = clientFrame.safeParse(json);
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = parsed.error.issues.flatMap((issue) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((key) => ({ detail: "unknown field", field: [...issue.path, key].map(String) }))
      : [{ detail: issue.message, field: issue.path.map(String) }],
  );
  // "type" is wrong: say which types exist rather than zod's union message.
  if (errors.some((e) => "field" in e && e.field[0] === "type" && e.field.length === 1)) {
    throw new DomainError("ValidationFailed", "Unknown frame type.", [
      { detail: "expected one of subscribe, unsubscribe, ping, auth, comment", field: ["type"] },
    ]);
  }
  throw new DomainError("ValidationFailed", `The frame has ${errors.length} invalid field(s).`, errors);
}

/** What an error frame says about `error`; anything but a DomainError is an internal error whose detail is hidden. */
export function errorFrame(error: unknown, context: { topic?: string; clientId?: string } = {}) {
  const domain = asDomainError(error) ?? new DomainError("Internal", errorCatalog.Internal.title);
  return {
    type: "error" as const,
    ...context,
    code: errorCatalog[domain.code].graphqlCode,
    detail: domain.message,
    errors: frameErrors(domain.errors),
  };
}

/** The close code the catalog gives `code`. */
export function closeCodeOf(code: ErrorCode): number {
  return errorCatalog[code].wsCloseCode;
}

/**
 * `payload` as one complete WebSocket text frame from the server (RFC 6455 §5.2: FIN, opcode 1,
 * unmasked, so the same bytes are valid on every socket): built once per topic event and written
 * to every socket as is, where `ws` would frame it again for each one.
 */
export function textFrame(payload: string): Buffer {
  const length = Buffer.byteLength(payload);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length % 2 ** 32, 6);
  }
  frame.write(payload, header, "utf8");
  return frame;
}

/** Close codes the transport uses beyond the catalog's (RFC 6455 §7.4.1). */
export const closeCodes = {
  goingAway: 1001,
  policyViolation: 1008,
  tooLarge: 1009,
  tryAgainLater: 1013,
  unauthenticated: 4401,
  notFound: 4404,
} as const;
