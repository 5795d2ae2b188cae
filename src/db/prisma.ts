import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { ConnectionWaitExceeded } from "../errors.js";
import { PrismaClient } from "../generated/prisma/client.js";

export type { PrismaClient } from "../generated/prisma/client.js";
export { Prisma } from "../generated/prisma/client.js";

/** How many distinct SQL texts get a prepared statement; the rest run unnamed. */
const preparedStatementLimit = 1000;

// Named statements let PostgreSQL parse and plan each SQL text once per connection instead of on
// every call (bench/rest: +40% on the product list). The limit bounds each connection's plan
// cache when SQL texts vary without end (a list of values of any length); past it, statements
// run unnamed, as without this. Names are unique per text within the process, as pg requires.
function preparedStatementNames() {
  const names = new Map<string, string>();
  return ({ sql }: { sql: string }): string => {
    let name = names.get(sql);
    if (name === undefined && names.size < preparedStatementLimit) {
      name = `stockroom_${names.size + 1}`;
      names.set(sql, name);
    }
    return name ?? ""; // pg runs an empty name as the unnamed statement
  };
}

/** How long a statement waits for one of the pool's connections before the server says it is too busy. */
export const defaultConnectionWaitMs = 10_000;

type Connected = (error: Error | undefined, client: pg.PoolClient | undefined, release: (error?: Error) => void) => void;

// With every connection in use, pg queues the next statement, without end unless bounded. Past
// the bound the server is overloaded: ConnectionWaitExceeded (Unavailable to every transport)
// instead of pg's bare Error, which they would answer as a 500. Every query and transaction of the
// app takes its connection here.
class BoundedPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg.Pool.connect's two forms (promise, callback) pass through as they are
  override connect(callback?: Connected): any {
    if (!callback) return super.connect().catch((error: unknown) => Promise.reject(overloadedIfTimedOut(error)));
    return super.connect((error, client, release) => callback(error && overloadedIfTimedOut(error), client, release));
  }
}

function overloadedIfTimedOut<E>(error: E): E | ConnectionWaitExceeded {
  const timedOut = error instanceof Error && error.message === "timeout exceeded when trying to connect";
  return timedOut ? new ConnectionWaitExceeded() : error;
}

export type PrismaClientOptions = {
  poolSize?: number;
  /** How long a statement may wait for a pool connection (ms) before failing as overloaded. */
  connectionWaitMs?: number;
  /** Off for poolers that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
  preparedStatements?: boolean;
};

/** A Prisma client over PostgreSQL at `url`, through the pg driver adapter. */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const pool = new BoundedPool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectionWaitMs ?? defaultConnectionWaitMs,
  });
  const adapter = new PrismaPg(pool, {
    disposeExternalPool: true, // $disconnect ends it, as it ends a pool the adapter makes
    ...(options.preparedStatements === false ? {} : { statementNameGenerator: preparedStatementNames() }),
  });
  return new PrismaClient({ adapter });
}
