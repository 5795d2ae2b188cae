import { type FormEvent, useEffect, useId, useState } from "react";
import type { Category, ProductQuery, ProductSortKey } from "../api/types";
import { sortOptions } from "./catalog-query";

type Props = {
  query: ProductQuery;
  categories: Category[] | undefined;
  /** Applies new filters (always from the first page). */
  onChange: (query: ProductQuery) => void;
};

/** Search box, category filter and sort order. */
export function CatalogFilters({ query, categories, onChange }: Props) {
  const id = useId();
  const [text, setText] = useState(query.q ?? "");
  useEffect(() => setText(query.q ?? ""), [query.q]);

  const apply = (changes: Partial<ProductQuery>) => onChange({ ...query, ...changes, cursor: undefined });
  const search = (event: FormEvent) => {
    event.preventDefault();
    apply({ q: text.trim() || undefined });
  };

  return (
    <search aria-label="Products">
      <form className="filters" onSubmit={search}>
        <div className="field field--grow">
          <label htmlFor={`${id}-q`}>Search</label>
          <div className="field__row">
            <input
              id={`${id}-q`}
              type="search"
              value={text}
              placeholder="Name, description or SKU"
              maxLength={200}
              onChange={(event) => setText(event.target.value)}
            />
            <button type="submit" className="button">
              Search
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>Category</label>
          <select
            id={`${id}-category`}
            value={query.category ?? ""}
            onChange={(event) => apply({ category: event.target.value ? Number(event.target.value) : undefined })}
          >
            <option value="">All categories</option>
            {categories?.map((category) => (
              <option key={category.id} value={category.id}>
                {category.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-sort`}>Sort by</label>
          <select
            id={`${id}-sort`}
            value={query.sort}
            onChange={(event) => apply({ sort: event.target.value as ProductSortKey })}
          >
            {sortOptions.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
      </form>
    </search>
  );
}
