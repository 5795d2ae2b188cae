import { DomainError } from "../errors.js";

/**
 * Where an event sits in the feed: its writing transaction id (xid8) and then its row id.
 * Clients see it as one opaque string "<txid>-<id>" and hand it back to resume.
 */
export type FeedPosition = { txid: bigint; id: bigint };

/** Before the first event: resuming from here replays the whole log. */
export const feedStart: FeedPosition = { txid: 0n, id: 0n };

/** The string clients see and send back. */
export function formatPosition(position: FeedPosition): string {
  return `${position.txid}-${position.id}`;
}

/** Parses a client's position string, or throws ValidationFailed. */
export function parsePosition(text: string, parameter = "position"): FeedPosition {
  const match = /^(\d{1,20})-(\d{1,20})$/.exec(text);
  if (!match) {
    throw new DomainError("ValidationFailed", `"${text}" is not a feed position.`, [
      { detail: 'expected "<txid>-<id>" as returned with an event', parameter },
    ]);
  }
  return { txid: BigInt(match[1] as string), id: BigInt(match[2] as string) };
}

/** True when `a` comes after `b` in the feed. */
export function isAfter(a: FeedPosition, b: FeedPosition): boolean {
  return a.txid > b.txid || (a.txid === b.txid && a.id > b.id);
}
