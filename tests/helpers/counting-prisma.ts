import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../../src/generated/prisma/client.js";

/** A Prisma client over `url` that counts the SQL statements it sends (at the adapter's pool); for tests and benches. */
export function countingPrisma(url: string) {
  const counter = { statements: 0 };
  class CountingPool extends pg.Pool {
    // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded signature
    override query(...args: any[]): any {
      counter.statements++;
      // biome-ignore lint/suspicious/noExplicitAny: see above
      return (super.query as any)(...args);
    }
  }
  const prisma = new PrismaClient({
    adapter: new PrismaPg(new CountingPool({ connectionString: url, max: 2 }), { disposeExternalPool: true }),
  });
  /** How many statements `work` sent. */
  const count = async (work: () => Promise<unknown>) => {
    const before = counter.statements;
    await work();
    return counter.statements - before;
  };
  return { prisma, count };
}
