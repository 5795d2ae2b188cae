// The node types (Product, Category, Post, Comment, User) as the schema reads them: the fields
// computed from a core view (the global id, a price and its formatted text) are getters of these
// classes instead of resolvers. A compiled operation reads a field without a resolver as a plain
// property, where it gives every resolver call a resolve info and a path of its own:
// bench:graphql's page of 20 products made 80 such calls for ids and prices, its 20 posts × 10
// comments 220 for ids. Every path that answers a node hands out one of these: pages, the
// loaders (behind node(id) and the fields that join), mutation payloads and subscriptions.
import type { AuthorView, CommentView, PostView } from "../modules/blog/queries.js";
import type { CategoryView, ProductView, ProductWithStock } from "../modules/catalog/views.js";
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
    return userNode(this.view.author);
  }

  get createdAt() {
    return this.view.createdAt;
  }
}

/** `view` as the Comment type reads it. */
export const commentNode = (view: CommentView): CommentNode => new CommentNode(view);

/** A category view, or the part of it a page of products joins (id, slug, name: catalog.ts asks for no more of it). */
export type CategorySource = Pick<CategoryView, "id" | "slug" | "name"> & Partial<CategoryView>;

export class CategoryNode {
  constructor(readonly view: CategorySource) {}

  get id() {
    return toGlobalId("Category", this.view.id);
  }

  get databaseId() {
    return this.view.id;
  }

  get slug() {
    return this.view.slug;
  }

  get name() {
    return this.view.name;
  }

  get description() {
    return this.view.description;
  }

  get createdAt() {
    return this.view.createdAt;
  }

  get updatedAt() {
    return this.view.updatedAt;
  }
}

/** `view` as the Category type reads it. */
export const categoryNode = (view: CategorySource): CategoryNode => new CategoryNode(view);

export class PostNode {
  constructor(readonly view: PostView) {}

  get id() {
    return toGlobalId("Post", this.view.id);
  }

  get databaseId() {
    return this.view.id;
  }

  get title() {
    return this.view.title;
  }

  get content() {
    return this.view.content;
  }

  get author() {
    return userNode(this.view.author);
  }

  get createdAt() {
    return this.view.createdAt;
  }

  get updatedAt() {
    return this.view.updatedAt;
  }
}

/** `view` as the Post type reads it. */
export const postNode = (view: PostView): PostNode => new PostNode(view);

export class UserNode {
  constructor(readonly view: AuthorView) {}

  get id() {
    return toGlobalId("User", this.view.id);
  }

  get databaseId() {
    return this.view.id;
  }

  get username() {
    return this.view.username;
  }
}

/** `view` as the User type reads it. */
export const userNode = (view: AuthorView): UserNode => new UserNode(view);
