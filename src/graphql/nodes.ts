// Products and comments as the schema's types read them: the fields computed from a view (the
// global id, a price and its formatted text) are getters of these classes instead of resolvers.
// A compiled operation reads a field without a resolver as a plain property, where it gives every
// resolver call a resolve info and a path of its own: bench:graphql's page of 20 products made 60
// such calls for these fields alone, its 20 posts × 10 comments 200 for the comments' ids.
// Every path that answers a Product or a Comment hands out one of these: pages, the loaders
// (product, node, StockLevel.product, a post's comments), mutation payloads and subscriptions.
import type { CommentView } from "../modules/blog/queries.js";
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

export class CommentNode {
  constructor(readonly view: CommentView) {}

  get id() {
    return toGlobalId("Comment", this.view.id);
  }

  get databaseId() {
    return this.view.id;
  }

  get text() {
    return this.view.text;
  }

  get author() {
    return this.view.author;
  }

  get createdAt() {
    return this.view.createdAt;
  }
}

/** `view` as the Comment type reads it. */
export const commentNode = (view: CommentView): CommentNode => new CommentNode(view);
