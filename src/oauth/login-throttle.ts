import { RateLimiterPrisma } from "rate-limiter-flexible";
import type { PrismaClient } from "../db/prisma.js";

// Failed sign-ins are counted in PostgreSQL (rate-limiter-flexible's Prisma store), so the limit
// holds across instances and restarts. Two counters, as OWASP's authentication cheat sheet
// suggests: per account and address (stops guessing one password), and per address (slows
// credential stuffing across many accounts) without letting anyone lock a victim out from elsewhere.

export const failuresPerAccountAndAddress = { points: 5, durationSeconds: 15 * 60 };
export const failuresPerAddress = { points: 100, durationSeconds: 24 * 60 * 60 };

export type LoginThrottle = {
  /** Seconds the caller must wait before trying again, or 0 when it may try now. */
  retryAfter(login: string, address: string): Promise<number>;
  /** Counts one failed attempt. */
  recordFailure(login: string, address: string): Promise<void>;
  /** Clears the account+address counter after a successful sign-in. */
  recordSuccess(login: string, address: string): Promise<void>;
};

/** Sign-in rate limits backed by the login_rate_limits table. */
export function createLoginThrottle(prisma: PrismaClient): LoginThrottle {
  const limiter = (keyPrefix: string, limit: { points: number; durationSeconds: number }) =>
    new RateLimiterPrisma({
      storeClient: prisma,
      tableName: "loginRateLimit",
      keyPrefix,
      points: limit.points,
      duration: limit.durationSeconds,
      // Our own maintenance loop deletes expired rows (see oauth/maintenance.ts).
      clearExpiredByTimeout: false,
    });
  const byAccount = limiter("login:account", failuresPerAccountAndAddress);
  const byAddress = limiter("login:address", failuresPerAddress);
  const accountKey = (login: string, address: string) => `${login.trim().toLowerCase()}|${address}`;

  return {
    async retryAfter(login, address) {
      const [account, anyAccount] = await Promise.all([byAccount.get(accountKey(login, address)), byAddress.get(address)]);
      const waits = [
        account && account.consumedPoints >= failuresPerAccountAndAddress.points ? account.msBeforeNext : 0,
        anyAccount && anyAccount.consumedPoints >= failuresPerAddress.points ? anyAccount.msBeforeNext : 0,
      ];
      return Math.ceil(Math.max(...waits) / 1000);
    },
    async recordFailure(login, address) {
      await Promise.all([byAccount.penalty(accountKey(login, address), 1), byAddress.penalty(address, 1)]);
    },
    async recordSuccess(login, address) {
      await byAccount.delete(accountKey(login, address));
    },
  };
}

/** Deletes counters whose window is over. */
export async function purgeExpiredLoginCounters(prisma: PrismaClient): Promise<void> {
  await prisma.loginRateLimit.deleteMany({ where: { expire: { lte: new Date() } } });
}
