// After a drop the client tries again after a growing delay, with jitter so that many clients
// dropped at once (a server restart) do not all come back in the same instant.

/** Delay before reconnection attempt `attempt` (0-based): exponential with ±20 % jitter, capped. */
export function backoffDelay(attempt: number, initialMs: number, maxMs: number, random = Math.random): number {
  const base = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(base * (0.8 + 0.4 * random()));
}
