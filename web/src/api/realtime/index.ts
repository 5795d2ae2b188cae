// The realtime socket client, by concern: the frames, the client, its backoff, heartbeat and comments in flight.
export { backoffDelay } from "./backoff";
export { RealtimeClient, type RealtimeOptions } from "./client";
export type { AckFrame, ConnectionStatus, ErrorFrame, EventFrame, LiveFrame, ServerFrame, TopicWatcher } from "./frames";
