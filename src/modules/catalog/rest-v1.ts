import { Router } from "express";
import { z } from "zod";
import { parseInput } from "../../http/validate.js";
import type { CatalogQueries, ProductView } from "./queries.js";

const pageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});
const idParams = z.object({ id: z.coerce.number().int().positive().max(2_147_483_647) });

/** v1 shows money as a decimal string in the currency's own number of minor digits. */
export function decimalPrice(amount: number, currency: string): string {
  const digits = new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions().maximumFractionDigits ?? 2;
  const sign = amount < 0 ? "-" : "";
  const units = Math.abs(amount)
    .toString()
    .padStart(digits + 1, "0");
  return digits === 0 ? `${sign}${units}` : `${sign}${units.slice(0, -digits)}.${units.slice(-digits)}`;
}

function presentProduct(p: ProductView) {
  return {
    id: p.id,
    sku: p.sku,
    name: p.name,
    description: p.description,
    price: decimalPrice(p.priceAmount, p.priceCurrency),
    currency: p.priceCurrency.trim(),
    categoryId: p.categoryId,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}

/** Catalog reads in the v1 shape: offset pages in a count/next/previous/results envelope. */
export function catalogRestV1(queries: CatalogQueries): Router {
  const router = Router();
  router.get("/products", async (req, res) => {
    const { page, page_size } = parseInput(pageQuery, req.query, "query");
    const { items, total } = await queries.listProducts({ offset: (page - 1) * page_size, limit: page_size });
    const link = (n: number) => `${req.baseUrl}${req.path}?page=${n}&page_size=${page_size}`;
    res.json({
      count: total,
      next: page * page_size < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.map(presentProduct),
    });
  });
  router.get("/products/:id", async (req, res) => {
    const { id } = parseInput(idParams, req.params, "path");
    res.json(presentProduct(await queries.getProduct(id)));
  });
  return router;
}
