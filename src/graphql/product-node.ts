// A product as the schema's Product type reads it. Its computed fields (the global id, the price
// and its formatted text) are getters of these classes instead of resolvers: a compiled operation
// reads a field without a resolver as a plain property, where it gives every resolver call a
// resolve info and a path of its own (bench:graphql's page of 20 products made 60 such calls for
// these three fields alone). Every path that answers a Product hands out a ProductNode: pages,
// the product loader (product, node, StockLevel.product), mutation payloads and subscriptions.
import type { ProductView, ProductWithStock } from "../modules/catalog/views.js";
import { formatMoney } from "../modules/shared/money.js";
import { toGlobalId } from "./global-id.js";

/** Money as the schema's Money type reads it. */
export class MoneyNode {
  constructor(
    readonly amount: number,
    readonly currency: string,
  ) {}

  get formatted() {
    return formatMoney(this.amount, this.currency);
  }
}

/** A product view, with its stock and category when the read that made it brought them along. */
export type ProductSource = ProductView & Partial<Pick<ProductWithStock, "stock" | "category">>;

export class ProductNode {
  constructor(readonly view: ProductSource) {}

  get id() {
    return toGlobalId("Product", this.view.id);
  }

  get databaseId() {
    return this.view.id;
  }

  get sku() {
    return this.view.sku;
  }

  get name() {
    return this.view.name;
  }

  get description() {
    return this.view.description;
  }

  get price() {
    return new MoneyNode(this.view.priceAmount, this.view.priceCurrency);
  }

  get version() {
    return this.view.version;
  }

  get createdAt() {
    return this.view.createdAt;
  }

  get updatedAt() {
    return this.view.updatedAt;
  }
}

/** `view` as the Product type reads it. */
export const productNode = (view: ProductSource): ProductNode => new ProductNode(view);
