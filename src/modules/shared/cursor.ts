// Opaque page cursors for keyset pagination (stable under inserts, unlike offsets), for every
// transport: REST's page.nextCursor today, GraphQL Relay connections' edge cursors later.
//
// A cursor is `<payload>.<tag>`: base64url JSON of the page position, and an HMAC-SHA256 over the
// payload and the cursor's binding (which list, its sort and its filters). The binding is not
// carried in the cursor but recomputed from the request that presents it, so a cursor only
// works for the list, sort and filters it was made for; a forged or altered one, or one made for
// another query, is refused as a 400 naming the parameter rather than answering a wrong page or
// reaching the database with values of the wrong type.
import { createHmac, type Hmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { z } from "zod";
import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";

/** What a cursor is valid for: the list and every sort and filter that selects its rows. */
export type CursorBinding = Readonly<Record<string, string | number | boolean | undefined>>;

// Independent of key order, and of filters left out vs. undefined.
const canonical = (binding: CursorBinding) =>
  JSON.stringify(
    Object.keys(binding)
      .filter((key) => binding[key] !== undefined)
      .sort()
      .map((key) => [key, binding[key]]),
  );

/** Encodes and decodes signed cursors with one key. */
export class CursorCodec {
  constructor(private readonly key: Buffer) {}

  /** Makes cursors of positions within the list `binding` describes: for a page of them, its canonical text made once. */
  encoder(binding: CursorBinding): (position: unknown) => string {
    const bound = canonical(binding);
    return (position) => {
      const payload = Buffer.from(JSON.stringify(position)).toString("base64url");
      return `${payload}.${this.mac(payload, bound).digest("base64url")}`;
    };
  }

  /** The position in `text`, if this key signed it for `binding` and it matches `schema`; else ValidationFailed naming `parameter`. */
  decode<S extends z.ZodType>(text: string, binding: CursorBinding, schema: S, parameter = "cursor"): z.infer<S> {
    const [payload, tag, rest] = text.split(".");
    if (payload && tag && rest === undefined) {
      const expected = this.mac(payload, canonical(binding)).digest();
      const given = Buffer.from(tag, "base64url");
      if (given.length === expected.length && timingSafeEqual(given, expected)) {
        // Signed by us, so it parses; the schema still checks it, in case positions change shape.
        const parsed = schema.safeParse(parseJson(Buffer.from(payload, "base64url").toString("utf8")));
        if (parsed.success) return parsed.data;
      }
    }
    throw new DomainError("ValidationFailed", "The cursor is not one this API issued for this list, sort and filters.", [
      { detail: "unknown, altered, or made for another query; use page.nextCursor of the previous page", parameter },
    ]);
  }

  // One update of the whole text, digested straight to its encoding: each update() and each
  // Buffer crossing costs about as much as the hash itself (3.6 -> 1.6 µs per cursor, same bytes).
  private mac(payload: string, boundText: string): Hmac {
    return createHmac("sha256", this.key).update(`${payload}\n${boundText}`);
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A keyset page, the cursor of the next one, and the cursor right after each of its items (GraphQL's edges). */
export type CursorPage<T> = { data: T[]; nextCursor: string | null; cursorOf: (item: T) => string };

/**
 * A keyset page from `limit + 1` rows fetched after a position: the first `limit`, and the cursor
 * of the last one when the extra row shows there is more.
 */
export function keysetPage<T>(rows: T[], limit: number, cursorOf: (row: T) => string): CursorPage<T> {
  const data = rows.slice(0, limit);
  const last = data.at(-1);
  return { data, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null, cursorOf };
}

const keyName = "cursor-hmac";
const codecs = new WeakMap<PrismaClient, Promise<CursorCodec>>();

// The key is a row of server_secrets, made by its migration: the same on every instance and
// after every restart, with no configuration. Should the row be gone, the first reader makes a
// new one (every instance then agrees on whichever insert won).
async function loadCodec(prisma: PrismaClient): Promise<CursorCodec> {
  const existing = await prisma.serverSecret.findUnique({ where: { name: keyName } });
  if (existing) return new CursorCodec(Buffer.from(existing.secret, "utf8"));
  await prisma.serverSecret.createMany({
    data: [{ name: keyName, secret: randomBytes(32).toString("hex") }],
    skipDuplicates: true,
  });
  const made = await prisma.serverSecret.findUniqueOrThrow({ where: { name: keyName } });
  return new CursorCodec(Buffer.from(made.secret, "utf8"));
}

/** The cursor codec of the database behind `prisma`, its key read once (and again after a failed read). */
export function cursorCodec(prisma: PrismaClient): Promise<CursorCodec> {
  let codec = codecs.get(prisma);
  if (!codec) {
    codec = loadCodec(prisma);
    codecs.set(prisma, codec);
    codec.catch(() => codecs.delete(prisma));
  }
  return codec;
}
