// One set of DataLoaders per request, over the core's batch queries: every object a request
// needs by id is read once, and the reads of one level of the query go out as one statement.
import DataLoader from "dataloader";
import type { Modules } from "../modules/index.js";
import type { StockView } from "../modules/inventory/stock-view.js";
import {
  type CategoryNode,
  type CommentNode,
  categoryNode,
  commentNode,
  type PostNode,
  type ProductNode,
  postNode,
  productNode,
  type UserNode,
  userNode,
} from "./nodes.js";

// A loader whose batch function answers in key order with undefined for unknown keys, each view
// found handed out as `present` makes it (nodes.ts).
const byIds = <V, N>(load: (ids: readonly number[]) => Promise<(V | undefined)[]>, present: (view: V) => N) =>
  new DataLoader<number, N | undefined>(async (ids) => (await load(ids)).map((view) => view && present(view)));

// A loader of lists whose answer also depends on a page size: one loader per size, made when first asked.
function perSize<V, N>(load: (ids: readonly number[], size: number) => Promise<V[][]>, present: (view: V) => N) {
  const loaders = new Map<number, DataLoader<number, N[]>>();
  return (size: number) => {
    let loader = loaders.get(size);
    if (!loader) {
      loader = new DataLoader(async (ids) => (await load(ids, size)).map((list) => list.map(present)));
      loaders.set(size, loader);
    }
    return loader;
  };
}

const asIs = <V>(view: V) => view;

/**
 * The loaders of one request, each made when the request first asks for it: most operations use
 * few of them (a page of products with its category and stock, none), and a subscription gets a
 * fresh set for every event it shows each subscriber.
 */
export class Loaders {
  #product?: DataLoader<number, ProductNode | undefined>;
  #category?: DataLoader<number, CategoryNode | undefined>;
  #stock?: DataLoader<number, StockView | undefined>;
  #post?: DataLoader<number, PostNode | undefined>;
  #comment?: DataLoader<number, CommentNode | undefined>;
  #author?: DataLoader<number, UserNode | undefined>;
  #commentCount?: DataLoader<number, number>;
  #comments?: (size: number) => DataLoader<number, CommentNode[]>;
  #postsByAuthor?: (size: number) => DataLoader<number, PostNode[]>;

  constructor(private readonly modules: Modules) {}

  get product() {
    this.#product ??= byIds((ids) => this.modules.catalog.queries.productsByIds(ids), productNode);
    return this.#product;
  }

  get category() {
    this.#category ??= byIds((ids) => this.modules.catalog.queries.categoriesByIds(ids), categoryNode);
    return this.#category;
  }

  get stock() {
    this.#stock ??= byIds(async (ids) => {
      const levels = await this.modules.inventory.queries.stockOfMany(ids);
      const byProduct = new Map(levels.map((level) => [level.productId, level]));
      return ids.map((id) => byProduct.get(id));
    }, asIs);
    return this.#stock;
  }

  get post() {
    this.#post ??= byIds((ids) => this.modules.blog.queries.postsByIds(ids), postNode);
    return this.#post;
  }

  get comment() {
    this.#comment ??= byIds((ids) => this.modules.blog.queries.commentsByIds(ids), commentNode);
    return this.#comment;
  }

  get author() {
    this.#author ??= byIds((ids) => this.modules.blog.queries.authorsByIds(ids), userNode);
    return this.#author;
  }

  get commentCount() {
    this.#commentCount ??= new DataLoader((ids) => this.modules.blog.queries.commentCountsByPostIds(ids));
    return this.#commentCount;
  }

  /** The first `size` comments of each post. */
  comments(size: number) {
    this.#comments ??= perSize((ids, limit) => this.modules.blog.queries.commentsByPostIds(ids, { limit }), commentNode);
    return this.#comments(size);
  }

  /** The newest `size` posts of each author. */
  postsByAuthor(size: number) {
    this.#postsByAuthor ??= perSize((ids, limit) => this.modules.blog.queries.postsByAuthorIds(ids, { limit }), postNode);
    return this.#postsByAuthor(size);
  }
}

/** The loaders of one request (or of one event a subscription shows). */
export function createLoaders(modules: Modules): Loaders {
  return new Loaders(modules);
}
