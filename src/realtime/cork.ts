// Writes to many sockets in one go: the feed hands the hub a batch of events synchronously, and
// each socket's frames of that batch should leave in one writev, not one syscall per frame (on a
// busy server the syscalls, not the bytes, are what the fan-out costs). A socket written to is
// corked until the current tick ends; one shared list uncorks them all, so this costs no closure
// or timer per socket.
//
// Corked bytes count in a socket's bufferedAmount, which bounds its queue (1013): so a socket
// also flushes as soon as `flushAt` bytes wait, and a reader that keeps up never looks behind.
import type { Duplex } from "node:stream";

const corked = new Set<Duplex>();

function uncorkAll(): void {
  // Emptied first: a socket written to while these flush is corked again for the next tick.
  const flushing = [...corked];
  corked.clear();
  for (const socket of flushing) socket.uncork();
}

/** Holds `socket`'s writes until the current tick ends (or `flushAt` bytes wait), then sends them together. */
export function corkForThisTick(socket: Duplex, flushAt: number): void {
  if (corked.has(socket)) {
    if (socket.writableLength < flushAt) return;
    socket.uncork();
    socket.cork();
    return;
  }
  if (corked.size === 0) process.nextTick(uncorkAll);
  corked.add(socket);
  socket.cork();
}
