// The frames of Stockroom's WebSocket protocol the client reads (see the AsyncAPI document at
// /docs/realtime), and what a watcher of a topic is told.

export type EventFrame = { type: "event"; topic: string; position: string; event: string; data: unknown };
export type LiveFrame = { type: "live"; topic: string };
export type AckFrame = { type: "ack"; clientId: string; commentId: number; position: string };
export type ErrorFrame = {
  type: "error";
  code: string;
  detail: string;
  errors?: ({ field: string; detail: string } | { parameter: string; detail: string })[];
  topic?: string;
  clientId?: string;
};
type OtherFrame = { type: "pong" | "authenticated" | "unsubscribed" };
export type ServerFrame = EventFrame | LiveFrame | AckFrame | ErrorFrame | OtherFrame;

export type TopicWatcher = {
  onEvent(frame: EventFrame): void;
  /** The topic is live: every event up to now was delivered. */
  onLive?(): void;
  /** The topic was re-subscribed without a position to resume from: reload what it shows. */
  onResync?(): void;
  onError?(frame: ErrorFrame): void;
};

/** "connecting" before the first connection, "live" while connected with every topic live, else "reconnecting". */
export type ConnectionStatus = "connecting" | "live" | "reconnecting";
