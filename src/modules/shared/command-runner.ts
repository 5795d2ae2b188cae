import { createHash } from "node:crypto";
import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";

/** Work that must follow every write, whoever called the command (e.g. dropping cached answers). */
export type AfterWrite = () => void;

/** A repeatable request: the caller's key, scoped to who sent it, and the request it stands for. */
export type IdempotencyRequest = {
  /** Whose key it is (an actor label), so keys of different callers never collide. */
  scope: string;
  key: string;
  /** The command and its input: the same key sent with another request is a Conflict. */
  request: unknown;
};

/** How every command runs: one transaction, idempotency when a key is given, then the after-write work. */
export type CommandRunner = {
  /**
   * Runs `work` in one transaction. With `idempotency`, a request repeated with its key returns
   * the first result (JSON, revived by `revive`) and changes nothing. After-write work runs once
   * the transaction has settled, committed or not, before this returns.
   */
  transaction<T>(
    work: (tx: Prisma.TransactionClient) => Promise<T>,
    options?: { idempotency?: IdempotencyRequest; revive?: (stored: unknown) => T },
  ): Promise<T>;
  /**
   * Runs `work` on the client itself, each statement its own transaction, for a command whose
   * writes are all one statement (nothing it writes can then be half done), e.g. appendEventIf:
   * no lock it takes outlives that statement, so it holds none across a round trip of this
   * process. After-write work runs as for transaction().
   */
  autocommit<T>(work: (db: Statements) => Promise<T>): Promise<T>;
};

/** What autocommit() work may run: single statements. */
export type Statements = Pick<PrismaClient, "$queryRaw" | "$executeRaw">;

// How long a command waits for a connection, and may run. Prisma's defaults (2 s, 5 s) turn a
// burst on a busy machine into failures; past these bounds the server is overloaded: 503, retry.
const transactionBounds = { maxWait: 10_000, timeout: 15_000 };

// P2028: the transaction could not start, or outlived its bound (Prisma's "Transaction API error").
function overloaded(error: unknown): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2028") {
    throw new DomainError("Unavailable", "The server is too busy to take this write now; nothing was written. Try again.");
  }
  throw error;
}

const requestHash = (request: unknown) => createHash("sha256").update(JSON.stringify(request)).digest("hex");

/** The runner every module's commands share. */
export function createCommandRunner(prisma: PrismaClient, afterWrite: readonly AfterWrite[] = []): CommandRunner {
  return {
    async transaction(work, options = {}) {
      const { idempotency, revive = (stored) => stored as never } = options;
      try {
        return await prisma
          .$transaction(async (tx) => {
            if (!idempotency) return work(tx);
            const { scope, key } = idempotency;
            const hash = requestHash(idempotency.request);
            // Repeats of one key take turns here: the second finds the first's result once it commits.
            await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`idempotency:${scope}:${key}`}, 0))`;
            const previous = await tx.idempotencyKey.findUnique({ where: { scope_key: { scope, key } } });
            if (previous) {
              if (previous.requestHash !== hash) {
                throw new DomainError("Conflict", "This idempotency key was already used for a different request.");
              }
              return revive(previous.result);
            }
            const result = await work(tx);
            await tx.idempotencyKey.create({
              data: { scope, key, requestHash: hash, result: JSON.parse(JSON.stringify(result ?? null)) },
            });
            return result;
          }, transactionBounds)
          .catch(overloaded);
      } finally {
        for (const work of afterWrite) work();
      }
    },
    async autocommit(work) {
      try {
        return await work(prisma);
      } finally {
        for (const work of afterWrite) work();
      }
    },
  };
}
