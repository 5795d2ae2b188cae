import type { AckFrame, ErrorFrame } from "./frames";

// Comments posted over the socket that the server has not answered yet. Each is sent again on
// every new connection until its ack or error arrives: its clientId makes a resend harmless.

type PendingComment = { frame: string; resolve(ack: AckFrame): void; reject(error: ErrorFrame): void };

/** The comments in flight, by clientId. */
export class PendingComments {
  private readonly byClientId = new Map<string, PendingComment>();

  /** Keeps `frame` until the server answers for `clientId`; resolves with the ack, rejects with the error frame. */
  add(clientId: string, frame: string): Promise<AckFrame> {
    return new Promise((resolve, reject) => this.byClientId.set(clientId, { frame, resolve, reject }));
  }

  /** The frames to send on a new connection. */
  frames(): string[] {
    return [...this.byClientId.values()].map((pending) => pending.frame);
  }

  /** The server accepted a comment. */
  acknowledge(ack: AckFrame): void {
    this.byClientId.get(ack.clientId)?.resolve(ack);
    this.byClientId.delete(ack.clientId);
  }

  /** The server refused the comment `error.clientId` names. */
  refuse(error: ErrorFrame & { clientId: string }): void {
    this.byClientId.get(error.clientId)?.reject(error);
    this.byClientId.delete(error.clientId);
  }
}
