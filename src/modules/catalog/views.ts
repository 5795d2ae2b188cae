// What the catalog's commands and queries hand out: one definition each, read the same way on both sides.
import { stockLevelView } from "../inventory/stock-view.js";

export type CategoryView = { id: number; slug: string; name: string; description: string; createdAt: Date; updatedAt: Date };

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

/** The columns of a ProductView, for Prisma selects. */
export const productColumns = {
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

type StockRow = { onHand: number; reserved: number; version: number } | null;

/** A product row with its stock_levels row as the stock object callers see. */
export function withStock<T extends ProductView & { stockLevel: StockRow }>({
  stockLevel,
  ...product
}: T): Omit<T, "stockLevel"> & Pick<ProductWithStock, "stock"> {
  const level = stockLevel ?? { onHand: 0, reserved: 0, version: 0 };
  return {
    ...product,
    stock: stockLevelView(level),
  };
}

export type ProductWithStock = ProductView & {
  stock: { onHand: number; reserved: number; available: number; version: number };
  category?: { id: number; slug: string; name: string };
};
