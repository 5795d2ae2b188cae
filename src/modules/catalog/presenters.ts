// v1 and v2 differ only here and in their schemas: one domain, two presenters.
import type { z } from "zod";
import { DomainError } from "../../errors.js";
import { maxMoneyAmount } from "../shared/fields.js";
import type { CategoryView, ProductView } from "./queries.js";
import type { categorySchema, productV1, productV2 } from "./schemas.js";
import type { ProductWithStock } from "./search.js";

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** v1 shows money as a decimal string in the currency's own number of minor digits. */
export function decimalPrice(amount: number, currency: string): string {
  const digits = minorDigits(currency);
  const units = Math.abs(amount)
    .toString()
    .padStart(digits + 1, "0");
  const sign = amount < 0 ? "-" : "";
  return digits === 0 ? `${sign}${units}` : `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

/** v1 input: a decimal string to integer minor units, refusing more decimals than the currency has. */
export function minorUnits(price: string, currency: string, pointer = "#/price"): number {
  const digits = minorDigits(currency);
  const [units = "0", fraction = ""] = price.split(".");
  if (fraction.length > digits) {
    throw new DomainError("ValidationFailed", `${currency} prices have at most ${digits} decimals.`, [
      { detail: `at most ${digits} decimals for ${currency}`, pointer },
    ]);
  }
  const amount = Number(units) * 10 ** digits + Number(fraction.padEnd(digits, "0") || "0");
  // The same bound as v2's price.amount: the money column is an int4.
  if (amount > maxMoneyAmount) {
    throw new DomainError("ValidationFailed", `Prices are at most ${decimalPrice(maxMoneyAmount, currency)} ${currency}.`, [
      { detail: `at most ${decimalPrice(maxMoneyAmount, currency)}`, pointer },
    ]);
  }
  return amount;
}

export function presentCategory(c: CategoryView): z.infer<typeof categorySchema> {
  return {
    id: c.id,
    slug: c.slug,
    name: c.name,
    description: c.description,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function presentProductV1(p: ProductView): z.infer<typeof productV1> {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: decimalPrice(p.priceAmount, p.priceCurrency),
    currency: p.priceCurrency,
    categoryId: p.categoryId,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

export function presentProductV2(p: ProductWithStock): z.infer<typeof productV2> {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: { amount: p.priceAmount, currency: p.priceCurrency },
    categoryId: p.categoryId,
    ...(p.category ? { category: p.category } : {}),
    stock: p.stock,
    version: p.version,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Keeps only the asked-for fields (and id) of a v2 product: sparse fieldsets. */
export function sparse<T extends { id: number }>(item: T, fields: readonly string[] | undefined): Partial<T> & { id: number } {
  if (!fields) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => key === "id" || fields.includes(key))) as Partial<T> & {
    id: number;
  };
}
