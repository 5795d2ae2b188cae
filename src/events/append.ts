import { Prisma } from "../db/prisma.js";
import { formatPosition } from "./position.js";
import { type EventData, type EventType, parseEvent, type StreamTypeOf } from "./registry.js";

/** Channel whose notifications wake feed readers; sent inside the appending transaction, so only on commit. */
export const feedChannel = "stockroom_events";

/** Who caused an event, as recorded in its metadata. */
export type EventActor = { userId?: number; clientId?: string } | "system";

/** An event to append: its type decides its stream type and the shape of its data (src/events/registry.ts). */
export type NewEvent = {
  [Type in EventType]: {
    streamType: StreamTypeOf<Type>;
    streamId: string;
    type: Type;
    data: EventData<Type>;
    actor: EventActor;
    correlationId?: string;
    idempotencyKey?: string;
  };
}[EventType];

/** "user:12", "client:stockroom-web" or "system": the actor as stored with the event. */
export function actorLabel(actor: EventActor): string {
  if (actor === "system") return "system";
  return actor.userId !== undefined ? `user:${actor.userId}` : `client:${actor.clientId ?? "unknown"}`;
}

/**
 * An event's column values, in the order of `eventColumns`, for an INSERT that appends it at
 * `streamVersion`. Data that does not match its type's schema throws InvalidEventError, so
 * nothing is written.
 */
function eventValues(event: NewEvent, streamVersion: number): Prisma.Sql {
  const data = parseEvent(event.type, event.streamType, event.data);
  const metadata: Prisma.InputJsonObject = {
    actor: actorLabel(event.actor),
    ...(event.correlationId ? { correlationId: event.correlationId } : {}),
    ...(event.idempotencyKey ? { idempotencyKey: event.idempotencyKey } : {}),
  };
  return Prisma.sql`${event.streamType}, ${event.streamId}, ${streamVersion}, ${event.type},
    ${JSON.stringify(data)}::jsonb, ${JSON.stringify(metadata)}::jsonb`;
}

/** The call that takes a stream's lock until the end of the transaction (re-taking it is a no-op). */
const streamLock = (streamType: string, streamId: string) =>
  Prisma.sql`pg_advisory_xact_lock(hashtextextended(${`${streamType}:${streamId}`}, 0))`;

/**
 * A common table expression `stream_locked`: one row, there once the stream's lock is held. A
 * statement that reads FROM it (a join) locks or writes no row of its own before the lock is held.
 */
export const streamLockedCte = (streamType: string, streamId: string) =>
  Prisma.sql`stream_locked AS (SELECT ${streamLock(streamType, streamId)}::text AS held)`;

const eventColumns = Prisma.sql`stream_type, stream_id, stream_version, type, data, metadata`;

type AppendedRow = { id: bigint; txid: string };

// The INSERT with its RETURNING and the NOTIFY, in one statement: appends are on every write
// path, and each round trip holds the stream lock longer. `source` is "VALUES (…)" or "SELECT … FROM …".
const appendStatement = (source: Prisma.Sql, ctes: Prisma.Sql = Prisma.empty) => Prisma.sql`
  WITH ${ctes} appended AS (
    INSERT INTO events (${eventColumns}) ${source}
    RETURNING id, txid::text AS txid)
  SELECT id, txid, pg_notify(${feedChannel}, '')::text AS notified FROM appended`;

const positionOf = (row: AppendedRow) => formatPosition({ txid: BigInt(row.txid), id: row.id });

/**
 * Appends one event at `streamVersion` and wakes the feed readers once the transaction commits.
 * Data that does not match its type's schema throws InvalidEventError before anything is written.
 * The caller must hold the stream (a row lock, or lockStream) so versions are assigned in turn;
 * the unique (stream, version) index turns any slip into an error instead of a fork.
 * Returns the event's feed position ("<txid>-<id>"), which a client may resume from.
 */
export async function appendEvent(tx: Prisma.TransactionClient, event: NewEvent, streamVersion: number): Promise<string> {
  const [appended] = await tx.$queryRaw<AppendedRow[]>(
    appendStatement(Prisma.sql`VALUES (${eventValues(event, streamVersion)})`),
  );
  if (!appended) throw new Error("INSERT … RETURNING gave no row");
  return positionOf(appended);
}

/**
 * In one statement (its own transaction when `db` is the client itself): takes the stream's lock
 * (see lockStream), then makes `change`, and appends `event` at `streamVersion` only if `change`
 * returned a row. `change` is a data-modifying statement with a RETURNING clause that must read
 * FROM `stream_locked` (a one-row relation that exists once the lock is held), so it writes
 * nothing, and gets no transaction id, before the lock is held. Returns the event's position,
 * or undefined when `change` matched nothing (and nothing was written).
 *
 * No round trip of the caller happens while the lock is held, so writers of one stream take
 * turns as fast as the database commits, however busy the calling process is.
 */
export async function appendEventIf(
  db: Pick<Prisma.TransactionClient, "$queryRaw">,
  event: NewEvent,
  streamVersion: number,
  change: Prisma.Sql,
): Promise<string | undefined> {
  const values = eventValues(event, streamVersion);
  const [appended] = await db.$queryRaw<AppendedRow[]>(
    appendStatement(
      Prisma.sql`SELECT ${values} FROM changed`,
      Prisma.sql`${streamLockedCte(event.streamType, event.streamId)}, changed AS (${change}),`,
    ),
  );
  return appended && positionOf(appended);
}

/**
 * Takes a stream's transaction-level advisory lock: its writers take turns until commit.
 *
 * A command must take it before its first write. A transaction id is assigned at the first write
 * (a row lock counts), and the feed orders by transaction id: a writer that got its id before
 * queueing for the stream could take a later stream version with an earlier id, and a subscriber
 * would see version 8 before version 7. An advisory lock assigns no id, so ids follow lock order.
 */
export async function lockStream(tx: Prisma.TransactionClient, streamType: string, streamId: string): Promise<void> {
  await tx.$executeRaw`SELECT ${streamLock(streamType, streamId)}`;
}

/**
 * Appends to a stream that has no row of its own to lock (posts, products): holds the stream's
 * lock (see lockStream), reads its last version, appends the next. Returns that version and the event's position.
 */
export async function appendToStream(
  tx: Prisma.TransactionClient,
  event: NewEvent,
): Promise<{ version: number; position: string }> {
  await lockStream(tx, event.streamType, event.streamId);
  const last = await tx.event.aggregate({
    where: { streamType: event.streamType, streamId: event.streamId },
    _max: { streamVersion: true },
  });
  const version = (last._max.streamVersion ?? 0) + 1;
  return { version, position: await appendEvent(tx, event, version) };
}
