import { Prisma, type PrismaClient } from "../../db/prisma.js";

/**
 * The rows of `select`, in its order, fetched as one JSON text that PostgreSQL builds: the driver
 * and Prisma then convert one value, not every column of every row, which on a page of 20-100
 * rows is most of the CPU a read costs (bench:rest, bench:graphql). Each row is an object keyed by
 * the select's column names; a value is what JSON can hold (numbers, strings, booleans, null,
 * nested json), so timestamps are better selected as epoch milliseconds (`epochMs`).
 * (PostgreSQL aggregates a sorted subquery in its order when, as here, nothing else is joined.)
 */
export async function jsonRows<Row>(db: Pick<PrismaClient, "$queryRaw">, select: Prisma.Sql): Promise<Row[]> {
  // As text: the adapter then hands the string through, and JSON.parse builds the rows at once.
  const [result] = await db.$queryRaw<{ rows: string }[]>`SELECT coalesce(json_agg(t), '[]')::text AS rows FROM (${select}) t`;
  return JSON.parse(result?.rows ?? "[]") as Row[];
}

/**
 * A timestamp column as epoch milliseconds (float8, exact below 2^53), truncated to the
 * millisecond as a Date read through Prisma's model queries is: `new Date(ms)` reads it back.
 */
export const epochMs = (column: string): Prisma.Sql =>
  Prisma.raw(`(extract(epoch from date_trunc('milliseconds', ${column})) * 1000)::float8`);
