// Writes to many sockets in one go: the feed hands the hub a batch of events synchronously, and
// each socket's frames of that batch should leave in one writev, not one syscall per frame (on a
// busy server the syscalls, not the bytes, are what the fan-out costs). A socket written to is
// corked until the current tick ends; one shared list uncorks them all, so this costs no closure
// or timer per socket.
import type { Duplex } from "node:stream";

const corked = new Set<Duplex>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/** Holds `socket`'s writes until the current tick ends, then sends them together. */
export function corkForThisTick(socket: Duplex): void {
  if (corked.has(socket)) return;
  if (corked.size === 0) process.nextTick(uncorkAll);
  corked.add(socket);
  socket.cork();
}
