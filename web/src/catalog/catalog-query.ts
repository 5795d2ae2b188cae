import type { ProductQuery, ProductSortKey } from "../api/types";

// The catalog's filters live in the page's URL (?q=…&category=…&sort=…&cursor=…), so a reload,
// the back button and a shared link all show the same page.

export const sortOptions: { value: ProductSortKey; label: string }[] = [
  { value: "name", label: "Name, A to Z" },
  { value: "-name", label: "Name, Z to A" },
  { value: "price", label: "Price, low to high" },
  { value: "-price", label: "Price, high to low" },
  { value: "-createdAt", label: "Newest first" },
];

export const defaultSort: ProductSortKey = "name";
export const pageSize = 12;

/** The product query a catalog URL stands for. */
export function catalogQueryFrom(url: URL): ProductQuery {
  const p = url.searchParams;
  const sort = sortOptions.find((option) => option.value === p.get("sort"))?.value ?? defaultSort;
  const category = Number(p.get("category"));
  return {
    limit: pageSize,
    q: p.get("q")?.trim() || undefined,
    category: Number.isInteger(category) && category > 0 ? category : undefined,
    sort,
    cursor: p.get("cursor") || undefined,
  };
}

/** The catalog URL of a query (defaults left out). */
export function catalogHref(query: ProductQuery): string {
  const p = new URLSearchParams();
  if (query.q) p.set("q", query.q);
  if (query.category) p.set("category", String(query.category));
  if (query.sort && query.sort !== defaultSort) p.set("sort", query.sort);
  if (query.cursor) p.set("cursor", query.cursor);
  const search = p.toString();
  return search ? `/?${search}` : "/";
}
