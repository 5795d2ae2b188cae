// One set of DataLoaders per request, over the core's batch queries: every object a request
// needs by id is read once, and the reads of one level of the query go out as one statement.
import DataLoader from "dataloader";
import type { AuthorView, CommentView, PostView } from "../modules/blog/queries.js";
import type { CategoryView, ProductView } from "../modules/catalog/views.js";
import type { Modules } from "../modules/index.js";
import type { StockView } from "../modules/inventory/stock-view.js";

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

/** The loaders of one request. */
export function createLoaders({ catalog, inventory, blog }: Modules) {
  return {
    product: byIds<ProductView>((ids) => catalog.queries.productsByIds(ids)),
    category: byIds<CategoryView>((ids) => catalog.queries.categoriesByIds(ids)),
    stock: byIds<StockView>(async (ids) => {
      const levels = await inventory.queries.stockOfMany(ids);
      const byProduct = new Map(levels.map((level) => [level.productId, level]));
      return ids.map((id) => byProduct.get(id));
    }),
    post: byIds<PostView>((ids) => blog.queries.postsByIds(ids)),
    comment: byIds<CommentView>((ids) => blog.queries.commentsByIds(ids)),
    author: byIds<AuthorView>((ids) => blog.queries.authorsByIds(ids)),
    commentCount: new DataLoader<number, number>((ids) => blog.queries.commentCountsByPostIds(ids)),
    /** The first `size` comments of each post. */
    comments: perSize(
      (size) => new DataLoader<number, CommentView[]>((ids) => blog.queries.commentsByPostIds(ids, { limit: size })),
    ),
    /** The newest `size` posts of each author. */
    postsByAuthor: perSize(
      (size) => new DataLoader<number, PostView[]>((ids) => blog.queries.postsByAuthorIds(ids, { limit: size })),
    ),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
