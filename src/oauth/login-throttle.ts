import type { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../db/prisma.js";

// Sign-in attempts are counted in PostgreSQL (rate-limiter-flexible's Prisma store), so the limit
// holds across instances and restarts. Two counters, as OWASP's authentication cheat sheet
// suggests: per account and address (stops guessing one password), and per address (slows
// credential stuffing across many accounts) without letting anyone lock a victim out from elsewhere.
//
// An attempt takes its point *before* the password is checked, in one atomic increment, and a
// successful sign-in gives it back: concurrent guesses cannot all read "4 failures so far" and
// all be checked. An attempt refused by the limit gives its point back too, so the stored count
// settles at the number of passwords actually checked.

export const failuresPerAccountAndAddress = { points: 5, durationSeconds: 15 * 60 };
export const failuresPerAddress = { points: 100, durationSeconds: 24 * 60 * 60 };

/** What a sign-in is counted against: the account it names, whichever of its identifiers was typed. */
export type LoginKey = { accountId: number } | { unknownLogin: string };

export type LoginAttempt =
  | {
      allowed: true /** The password was right: clears the account's failures and returns the address's point. */;
      succeeded(): Promise<void>;
    }
  | { allowed: false; retryAfterSeconds: number };

export type LoginThrottle = {
  /** Takes one attempt for `key` from `address`; refused (nothing counted) when a limit is reached. */
  attempt(key: LoginKey, address: string): Promise<LoginAttempt>;
};

type Limiters = { byAccount: RateLimiterPrisma; byAddress: RateLimiterPrisma; RateLimiterRes: typeof RateLimiterRes };

/** Sign-in rate limits backed by the login_rate_limits table. */
export function createLoginThrottle(prisma: PrismaClient): LoginThrottle {
  // rate-limiter-flexible is imported on the first sign-in: an instance that only serves the API never loads it.
  let limiters: Promise<Limiters> | undefined;
  const loadLimiters = () => {
    limiters ??= import("rate-limiter-flexible").then(({ RateLimiterPrisma, RateLimiterRes }) => {
      const limiter = (keyPrefix: string, limit: { points: number; durationSeconds: number }) =>
        new RateLimiterPrisma({
          storeClient: prisma,
          tableName: "loginRateLimit",
          keyPrefix,
          points: limit.points,
          duration: limit.durationSeconds,
          // Our own maintenance loop deletes expired rows (see oauth/identity.ts).
          clearExpiredByTimeout: false,
        });
      return {
        byAccount: limiter("login:account", failuresPerAccountAndAddress),
        byAddress: limiter("login:address", failuresPerAddress),
        RateLimiterRes,
      };
    });
    return limiters;
  };

  /** Consumes one point, or says how long to wait (and gives the point back) when the limit is reached. */
  async function take({ RateLimiterRes }: Limiters, limiterOf: RateLimiterPrisma, key: string): Promise<number> {
    try {
      await limiterOf.consume(key);
      return 0;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      await limiterOf.reward(key, 1);
      return Math.max(1, Math.ceil(error.msBeforeNext / 1000));
    }
  }

  return {
    async attempt(key, address) {
      const loaded = await loadLimiters();
      const { byAccount, byAddress } = loaded;
      // Unknown logins are counted the same way, so the answers do not tell which accounts exist.
      const accountKey = `${"accountId" in key ? `id:${key.accountId}` : `login:${key.unknownLogin.trim().toLowerCase()}`}|${address}`;
      const accountWait = await take(loaded, byAccount, accountKey);
      if (accountWait > 0) return { allowed: false, retryAfterSeconds: accountWait };
      const addressWait = await take(loaded, byAddress, address);
      if (addressWait > 0) {
        await byAccount.reward(accountKey, 1);
        return { allowed: false, retryAfterSeconds: addressWait };
      }
      return {
        allowed: true,
        async succeeded() {
          await Promise.all([byAccount.delete(accountKey), byAddress.reward(address, 1)]);
        },
      };
    },
  };
}

/** Deletes counters whose window is over. */
export async function purgeExpiredLoginCounters(prisma: PrismaClient): Promise<void> {
  await prisma.loginRateLimit.deleteMany({ where: { expire: { lte: new Date() } } });
}
