// Writes to many sockets in one go: the feed hands the hub a batch of events synchronously, and
// each socket's frames of that batch should leave in one writev, not one syscall per frame (on a
// busy server the syscalls, not the bytes, are what the fan-out costs). A socket written to is
// corked until its turn to flush; one shared queue uncorks them, so this costs no closure or timer
// per socket.
//
// The flush goes `flushChunk` sockets at a time, with the event loop's I/O in between: a fan-out
// to thousands of sockets would otherwise hold the loop for its whole length, and every database
// round trip waiting behind it (a stock write holding its row lock, say) would wait that long.
// A socket waiting for its turn keeps collecting frames in order; its next writev takes them all.
//
// Corked bytes count in a socket's bufferedAmount, which bounds its queue (1013): so a socket
// also flushes as soon as `flushAt` bytes wait, and a reader that keeps up never looks behind.
import type { Duplex } from "node:stream";

const flushChunk = 256;
const corked = new Set<Duplex>();
let flushScheduled = false;

function flushSome(): void {
  let flushed = 0;
  for (const socket of corked) {
    if (flushed === flushChunk) break;
    // Removed first: a socket written to while it flushes is corked again and queued at the end.
    corked.delete(socket);
    socket.uncork();
    flushed += 1;
  }
  flushScheduled = corked.size > 0;
  if (flushScheduled) setImmediate(flushSome);
}

/** Holds `socket`'s writes until its turn to flush (or until `flushAt` bytes wait), then sends them together. */
export function corkUntilFlushed(socket: Duplex, flushAt: number): void {
  if (corked.has(socket)) {
    if (socket.writableLength < flushAt) return;
    socket.uncork();
    socket.cork();
    return;
  }
  if (!flushScheduled) {
    flushScheduled = true;
    process.nextTick(flushSome);
  }
  corked.add(socket);
  socket.cork();
}
