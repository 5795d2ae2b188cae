// The building blocks of every request schema: one text schema and one integer range per column
// type, so what a client may send is bounded by what the database can store. A value the column
// cannot hold must be a 400 naming the field, not a PostgreSQL error surfacing as a 500.
import { z } from "zod";

/** PostgreSQL `integer` (int4, Prisma `Int`): every id, quantity, version and money column. */
export const int4 = { min: -2_147_483_648, max: 2_147_483_647 } as const;

/** Largest price we accept, in minor units: below int4's maximum, with room for any currency. */
export const maxMoneyAmount = 1_000_000_000;

/**
 * Text a client sends: no NUL (PostgreSQL `text` cannot store U+0000) and well-formed Unicode, as
 * RFC 8259 §8.2 leaves strings with lone surrogates undefined (PostgreSQL refuses them, Prisma
 * would silently store U+FFFD). Every string field of every body, query and header builds on it.
 */
export const text = () =>
  z
    .string()
    .refine((value) => !value.includes("\u0000"), "must not contain the NUL character (U+0000)")
    .refine((value) => value.isWellFormed(), "must be well-formed Unicode (no lone UTF-16 surrogates)");

/** An integer within int4, for bodies. */
export const int4Integer = () => z.number().int().min(int4.min).max(int4.max);

/** A row id (serial int4) in a body. */
export const recordId = () => z.number().int().min(1).max(int4.max);

/** A row id (serial int4) in a path or query string. */
export const recordIdParam = () => z.coerce.number().int().min(1).max(int4.max);

/** An amount of money in integer minor units, in a body. */
export const moneyAmount = () => z.number().int().min(0).max(maxMoneyAmount);

/** An amount of money in integer minor units, in a query string. */
export const moneyAmountParam = () => z.coerce.number().int().min(0).max(maxMoneyAmount);

/** A page size in a query string. */
export const pageLimitParam = () => z.coerce.number().int().min(1).max(100).default(20);
