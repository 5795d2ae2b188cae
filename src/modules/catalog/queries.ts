import type { PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";

export type ProductView = {
  id: number;
  sku: string;
  name: string;
  description: string;
  priceAmount: number;
  priceCurrency: string;
  categoryId: number;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

const productColumns = {
  id: true,
  sku: true,
  name: true,
  description: true,
  priceAmount: true,
  priceCurrency: true,
  categoryId: true,
  version: true,
  createdAt: true,
  updatedAt: true,
} as const;

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

    /** One product, or NotFound. */
    async getProduct(id: number): Promise<ProductView> {
      const product = await prisma.product.findUnique({ where: { id }, select: productColumns });
      if (!product) throw new DomainError("NotFound", `Product ${id} does not exist.`);
      return product;
    },
  };
}

export type CatalogQueries = ReturnType<typeof createCatalogQueries>;
