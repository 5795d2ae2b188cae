import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { inKeyOrder } from "../shared/batch.js";
import { countProducts, type ProductFilters, type ProductSearch, searchProducts } from "./search.js";
import { type CategoryView, type ProductView, type ProductWithStock, productColumns, withStock } from "./views.js";

/** Read side of the catalog. */
export function createCatalogQueries(prisma: PrismaClient) {
  return {
    /** One page of products in id order, with the total count. */
    async listProducts(page: { offset: number; limit: number }): Promise<{ items: ProductView[]; total: number }> {
      const [items, total] = await Promise.all([
        prisma.product.findMany({ select: productColumns, orderBy: { id: "asc" }, skip: page.offset, take: page.limit }),
        prisma.product.count(),
      ]);
      return { items, total };
    },

    /** Every category, by name (a catalog has few). */
    listCategories(): Promise<CategoryView[]> {
      return prisma.category.findMany({ orderBy: { name: "asc" } });
    },

    /** One category, or NotFound. */
    async getCategory(id: number): Promise<CategoryView> {
      const category = await prisma.category.findUnique({ where: { id } });
      if (!category) throw new DomainError("NotFound", `Category ${id} does not exist.`);
      return category;
    },

    /** A page of products matching filters, with live stock; see search.ts. */
    searchProducts: (search: ProductSearch) => searchProducts(prisma, search),

    /** How many products match a search's filters. */
    countProducts: (filters: ProductFilters) => countProducts(prisma, filters),

    /** One product with its live stock (and category), or NotFound. */
    async getProductWithStock(id: number, includeCategory = false): Promise<ProductWithStock> {
      const product = await prisma.product.findUnique({
        where: { id },
        include: { stockLevel: true, ...(includeCategory ? { category: { select: { id: true, slug: true, name: true } } } : {}) },
      });
      if (!product) throw new DomainError("NotFound", `Product ${id} does not exist.`);
      return withStock(product);
    },

    /** Products by id in one statement, in the order asked (undefined for an unknown id). */
    async productsByIds(ids: readonly number[]): Promise<(ProductView | undefined)[]> {
      const rows = await prisma.product.findMany({ where: { id: { in: [...ids] } }, select: productColumns });
      return inKeyOrder(ids, rows, (row) => row.id);
    },

    /** Categories by id in one statement, in the order asked (undefined for an unknown id). */
    async categoriesByIds(ids: readonly number[]): Promise<(CategoryView | undefined)[]> {
      return inKeyOrder(ids, await prisma.category.findMany({ where: { id: { in: [...ids] } } }), (row) => row.id);
    },

    /** One product, or NotFound. */
    async getProduct(id: number): Promise<ProductView> {
      const product = await prisma.product.findUnique({ where: { id }, select: productColumns });
      if (!product) throw new DomainError("NotFound", `Product ${id} does not exist.`);
      return product;
    },
  };
}

export type CatalogQueries = ReturnType<typeof createCatalogQueries>;
