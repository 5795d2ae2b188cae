import { useEffect, useRef } from "react";
import { describeError } from "../api/problem";
import type { ProductQuery } from "../api/types";
import { useServices, useSession } from "../app-context";
import { navigate, useLocation } from "../router";
import { ConnectionStatus } from "../ui/ConnectionStatus";
import { Empty, ErrorMessage, Loading } from "../ui/status";
import { useAsync } from "../ui/use-async";
import { CatalogFilters } from "./CatalogFilters";
import { catalogHref, catalogQueryFrom } from "./catalog-query";
import { useLiveInventory } from "./live-inventory";
import { ProductCard } from "./ProductCard";

/** Products from REST v2: search, category filter, sorting, cursor pages; staff can record stock movements. */
export function CatalogPage() {
  const { api, stock } = useServices();
  const session = useSession();
  const location = useLocation();
  const query = catalogQueryFrom(location);
  const key = catalogHref(query);
  const results = useRef<HTMLElement>(null);
  const paged = useRef(false);

  const categories = useAsync((signal) => api.rest.listCategories(signal), [api]);
  const products = useAsync((signal) => api.rest.listProducts(query, signal), [api, key]);
  useLiveInventory(api.realtime, stock, products.reload);

  useEffect(() => {
    if (products.status !== "ready") return;
    for (const product of products.data.data) stock.offer(product.id, product.stock);
    if (paged.current) {
      paged.current = false;
      results.current?.focus();
    }
  }, [products, stock]);

  const staff = session.status === "signed-in" && session.user.scopes.includes("inventory:write");
  const show = (next: ProductQuery, options: { paging?: boolean } = {}) => {
    paged.current = options.paging ?? false;
    navigate(catalogHref(next));
  };
  const page = products.data;

  return (
    <section className="catalog">
      <div className="page-head">
        <h1 tabIndex={-1}>Catalog</h1>
        <ConnectionStatus />
      </div>
      <p className="lede">Coffee, tea and what goes with them. Stock numbers change live as the stockroom moves goods.</p>
      <CatalogFilters query={query} categories={categories.data} onChange={(next) => show(next)} />
      {categories.status === "error" && (
        <ErrorMessage message={`Categories: ${describeError(categories.error)}`} onRetry={categories.reload} />
      )}

      <section
        ref={results}
        tabIndex={-1}
        aria-labelledby="results-heading"
        aria-busy={products.status === "loading"}
        className="results"
      >
        <h2 id="results-heading" className="visually-hidden">
          Products
        </h2>
        {products.status === "loading" && !page && <Loading label="Loading products…" />}
        {products.status === "error" && <ErrorMessage message={describeError(products.error)} onRetry={products.reload} />}
        {page && page.data.length === 0 && (
          <Empty>{query.q || query.category ? "No product matches these filters." : "There are no products yet."}</Empty>
        )}
        {page && page.data.length > 0 && (
          <ul className="product-grid">
            {page.data.map((product) => (
              <li key={product.id}>
                <ProductCard product={product} staff={staff} />
              </li>
            ))}
          </ul>
        )}
        {page && (page.page.prevCursor || page.page.nextCursor) && (
          <nav className="pager" aria-label="Pages of products">
            <button
              type="button"
              className="button button--secondary"
              disabled={!page.page.prevCursor || products.status === "loading"}
              onClick={() => show({ ...query, cursor: page.page.prevCursor ?? undefined }, { paging: true })}
            >
              Previous page
            </button>
            <button
              type="button"
              className="button button--secondary"
              disabled={!page.page.nextCursor || products.status === "loading"}
              onClick={() => show({ ...query, cursor: page.page.nextCursor ?? undefined }, { paging: true })}
            >
              Next page
            </button>
          </nav>
        )}
      </section>
    </section>
  );
}
