// v1 and v2 differ only here and in their schemas: one domain, two presenters.
import type { z } from "zod";
import { productSnapshot } from "../modules/catalog/events.js";
import type { categorySchema, productV1, productV2 } from "../modules/catalog/schemas.js";
import type { CategoryView, ProductView, ProductWithStock } from "../modules/catalog/views.js";
import { decimalPrice } from "../modules/shared/money.js";

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
  // The product as its events carry it, with what v2 embeds: the category when asked, and stock.
  // Object.assign onto the fresh snapshot, not spreads into a new object: a fifth of the cost of
  // a list page's presentation (bench/rest).
  return Object.assign(productSnapshot(p), p.category ? { category: p.category, stock: p.stock } : { stock: p.stock });
}

/** Keeps only the asked-for fields (and id) of a v2 product: sparse fieldsets. */
export function sparse<T extends { id: number }>(item: T, fields: readonly string[] | undefined): Partial<T> & { id: number } {
  if (!fields) return item;
  return Object.fromEntries(Object.entries(item).filter(([key]) => key === "id" || fields.includes(key))) as Partial<T> & {
    id: number;
  };
}
