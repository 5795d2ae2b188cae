import { PrismaPg } from "@prisma/adapter-pg";
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

export type PrismaClientOptions = {
  poolSize?: number;
  /** Off for poolers that cannot keep prepared statements (PgBouncer in transaction mode before 1.21). */
  preparedStatements?: boolean;
};

/** A Prisma client over PostgreSQL at `url`, through the pg driver adapter. */
export function createPrismaClient(url: string, options: PrismaClientOptions = {}): PrismaClient {
  const adapter = new PrismaPg(
    { connectionString: url, max: options.poolSize ?? 10 },
    options.preparedStatements === false ? {} : { statementNameGenerator: preparedStatementNames() },
  );
  return new PrismaClient({ adapter });
}
