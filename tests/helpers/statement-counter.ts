import { afterAll } from "vitest";
import { countingPrisma } from "./counting-prisma.js";

/** A Prisma client over `url` that counts the SQL statements it sends (at the adapter's pool), closed after the file. */
export function countingPrismaClient(url: string) {
  const counting = countingPrisma(url);
  afterAll(() => counting.prisma.$disconnect());
  return counting;
}
