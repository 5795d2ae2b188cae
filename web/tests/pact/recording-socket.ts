// The transport under the client's real RealtimeClient in the message contract tests: an open
// socket that records what the client sends. The frames under test reach the client as they do
// from a real socket, through its `receive` (which the socket's message handler calls).

/** A WebSocket stand-in that is open at once and keeps every frame sent. */
export class RecordingSocket {
  static readonly instances: RecordingSocket[] = [];
  readyState = 1;
  readonly sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number }) => void) | null = null;
  onerror: (() => void) | null = null;

  constructor(readonly url: string) {
    RecordingSocket.instances.push(this);
    queueMicrotask(() => this.onopen?.());
  }

  send(frame: string) {
    this.sent.push(JSON.parse(frame));
  }

  close() {
    this.readyState = 3;
  }
}
