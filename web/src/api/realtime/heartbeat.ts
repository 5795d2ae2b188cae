// Frames arrive at least every heartbeat (our pings are answered): silence means a dead
// connection, which a lost network does not always report.

/** Pings after `everyMs` without a frame; when the next `everyMs` pass without one either, calls `dead`. */
export class Heartbeat {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private awaitingPong = false;

  constructor(
    private readonly everyMs: number,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {}

  /** A frame arrived (or the socket opened): start counting again. */
  arm(): void {
    this.stop();
    const beat = () => {
      if (this.awaitingPong) {
        this.dead();
        return;
      }
      this.awaitingPong = true;
      this.ping();
      this.timer = setTimeout(beat, this.everyMs);
    };
    this.timer = setTimeout(beat, this.everyMs);
  }

  /** No more beats (the socket closed). */
  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.awaitingPong = false;
  }
}
