// One set of DataLoaders per request, over the core's batch queries: every object a request
// needs by id is read once, and the reads of one level of the query go out as one statement.
import DataLoader from "dataloader";
import type { AuthorView, CommentView, PostView } from "../modules/blog/queries.js";
import type { CategoryView } from "../modules/catalog/views.js";
import type { Modules } from "../modules/index.js";
import type { StockView } from "../modules/inventory/stock-view.js";
import { type CommentNode, commentNode, type ProductNode, productNode } from "./nodes.js";

// A loader whose batch function answers in key order with undefined for unknown keys.
const byIds = <V>(load: (ids: readonly number[]) => Promise<(V | undefined)[]>) =>
  new DataLoader<number, V | undefined>((ids) => load(ids));

// Loaders whose answer also depends on a page size: one loader per size, made when first asked.
function perSize<V>(make: (size: number) => DataLoader<number, V>) {
  const loaders = new Map<number, DataLoader<number, V>>();
  return (size: number) => {
    let loader = loaders.get(size);
    if (!loader) {
      loader = make(size);
      loaders.set(size, loader);
    }
    return loader;
  };
}

/**
 * The loaders of one request, each made when the request first asks for it: most operations use
 * few of them (a page of products with its category and stock, none), and a subscription gets a
 * fresh set for every event it shows each subscriber.
 */
export class Loaders {
  #product?: DataLoader<number, ProductNode | undefined>;
  #category?: DataLoader<number, CategoryView | undefined>;
  #stock?: DataLoader<number, StockView | undefined>;
  #post?: DataLoader<number, PostView | undefined>;
  #comment?: DataLoader<number, CommentNode | undefined>;
  #author?: DataLoader<number, AuthorView | undefined>;
  #commentCount?: DataLoader<number, number>;
  #comments?: (size: number) => DataLoader<number, CommentNode[]>;
  #postsByAuthor?: (size: number) => DataLoader<number, PostView[]>;

  constructor(private readonly modules: Modules) {}

  get product() {
    this.#product ??= byIds(async (ids) =>
      (await this.modules.catalog.queries.productsByIds(ids)).map((view) => view && productNode(view)),
    );
    return this.#product;
  }

  get category() {
    this.#category ??= byIds((ids) => this.modules.catalog.queries.categoriesByIds(ids));
    return this.#category;
  }

  get stock() {
    this.#stock ??= byIds(async (ids) => {
      const levels = await this.modules.inventory.queries.stockOfMany(ids);
      const byProduct = new Map(levels.map((level) => [level.productId, level]));
      return ids.map((id) => byProduct.get(id));
    });
    return this.#stock;
  }

  get post() {
    this.#post ??= byIds((ids) => this.modules.blog.queries.postsByIds(ids));
    return this.#post;
  }

  get comment() {
    this.#comment ??= byIds(async (ids) =>
      (await this.modules.blog.queries.commentsByIds(ids)).map((view) => view && commentNode(view)),
    );
    return this.#comment;
  }

  get author() {
    this.#author ??= byIds((ids) => this.modules.blog.queries.authorsByIds(ids));
    return this.#author;
  }

  get commentCount() {
    this.#commentCount ??= new DataLoader((ids) => this.modules.blog.queries.commentCountsByPostIds(ids));
    return this.#commentCount;
  }

  /** The first `size` comments of each post. */
  comments(size: number) {
    this.#comments ??= perSize(
      (size) =>
        new DataLoader(async (ids: readonly number[]) =>
          (await this.modules.blog.queries.commentsByPostIds(ids, { limit: size })).map((list) => list.map(commentNode)),
        ),
    );
    return this.#comments(size);
  }

  /** The newest `size` posts of each author. */
  postsByAuthor(size: number) {
    this.#postsByAuthor ??= perSize(
      (size) => new DataLoader((ids) => this.modules.blog.queries.postsByAuthorIds(ids, { limit: size })),
    );
    return this.#postsByAuthor(size);
  }
}

/** The loaders of one request (or of one event a subscription shows). */
export function createLoaders(modules: Modules): Loaders {
  return new Loaders(modules);
}
