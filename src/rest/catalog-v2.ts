import { z } from "zod";
import type { CatalogCommands } from "../modules/catalog/commands.js";
import type { CatalogQueries } from "../modules/catalog/queries.js";
import {
  categoryV2Page,
  conditionalHeaders,
  idParams,
  productInputOf,
  productV2,
  productV2Input,
  productV2ListQuery,
  productV2Page,
  productV2Patch,
} from "../modules/catalog/schemas.js";
import type { ProductSort } from "../modules/catalog/search.js";
import { presentCategory, presentProductV2, sparse } from "./catalog-presenters.js";
import { categoryWriteOperations, productDeleteOperation } from "./catalog-shared.js";
import { acceptedVersions } from "./conditional.js";
import type { VersionedApi } from "./operations.js";

function parseSort(expression: string): ProductSort {
  return expression.split(",").map((part) => ({
    field: part.replace(/^-/, "") as ProductSort[number]["field"],
    direction: part.startsWith("-") ? "desc" : "asc",
  }));
}

/** Catalog operations of v2: cursor pages, money objects, live stock, filters, sorting, sparse fields. */
export function catalogRoutesV2(api: VersionedApi, queries: CatalogQueries, commands: CatalogCommands): void {
  api.operation({
    method: "get",
    path: "/products",
    operationId: "listProducts",
    cacheable: true,
    summary: "List products",
    description:
      "Products with their live stock, a page at a time. Pages are keyset cursors (stable while products are added); follow `page.nextCursor` or the `Link: rel=next` header. Filter with `category`, `q`, `inStock`, `minPrice`/`maxPrice`; sort with e.g. `sort=-price,name`; trim the answer with `fields=name,price`; embed categories with `include=category`.",
    tag: "Catalog",
    query: productV2ListQuery,
    success: {
      status: 200,
      description: "A page of products",
      schema: productV2Page,
      headers: { Link: "rel=next / rel=prev page URLs" },
    },
    conditional: true,
    errors: [],
    async handler({ query, req }) {
      const page = await queries.searchProducts({
        categoryId: query.category,
        q: query.q,
        inStock: query.inStock,
        minPrice: query.minPrice,
        maxPrice: query.maxPrice,
        sort: parseSort(query.sort),
        limit: query.limit,
        cursor: query.cursor,
        includeCategory: query.include === "category",
      });
      const fields = query.fields?.split(",");
      const nextCursor = page.next ?? null;
      const prevCursor = page.prev ?? null;
      const pageUrl = (cursor: string) => {
        const params = new URLSearchParams(req.query as Record<string, string>);
        params.set("cursor", cursor);
        return `${req.baseUrl}${req.path}?${params}`;
      };
      const links = [
        nextCursor && `<${pageUrl(nextCursor)}>; rel="next"`,
        prevCursor && `<${pageUrl(prevCursor)}>; rel="prev"`,
      ].filter(Boolean);
      return {
        status: 200,
        headers: links.length ? { Link: links.join(", ") } : undefined,
        body: {
          data: page.items.map((p) => sparse(presentProductV2(p), fields)),
          page: { limit: query.limit, nextCursor, prevCursor },
        },
      };
    },
  });

  api.operation({
    method: "get",
    path: "/products/:id",
    operationId: "getProduct",
    cacheable: true,
    summary: "Get a product",
    description:
      "One product with its live stock (and its category with `include=category`). Answers an `ETag` that changes whenever the bytes do; send it back in `If-None-Match` to get a 304 while nothing changed.",
    tag: "Catalog",
    params: idParams,
    query: z.strictObject({ include: z.enum(["category"]).optional() }),
    success: { status: 200, description: "The product", schema: productV2 },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params, query }) {
      const product = await queries.getProductWithStock(params.id, query.include === "category");
      return { status: 200, version: product.version, body: presentProductV2(product) };
    },
  });

  api.operation({
    method: "post",
    path: "/products",
    operationId: "createProduct",
    summary: "Create a product",
    description: "Creates a product with no stock (receive stock through the inventory endpoints). Broadcasts `ProductCreated`.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    body: productV2Input,
    success: {
      status: 201,
      description: "Created",
      schema: productV2,
      headers: { Location: "URL of the new product", ETag: "Its version" },
    },
    errors: ["Conflict"],
    async handler({ body, req, actor }) {
      const product = await commands.createProduct(actor, productInputOf(body));
      return {
        status: 201,
        headers: { Location: `${req.baseUrl}/products/${product.id}` },
        version: product.version,
        body: presentProductV2(product),
      };
    },
  });

  api.operation({
    method: "patch",
    path: "/products/:id",
    operationId: "updateProduct",
    summary: "Change a product",
    description:
      "Changes the fields sent. Send the ETag you read in `If-Match` (one or a list): if the product changed since (its version moved on), the answer is 412 and nothing is written. An ETag read from any view of the product works (v1 or v2, `include=category`, `fields=`): only the product's own version, at the start of the tag, is compared, so stock movements and changes to the embedded category do not count as product changes here. Weak tags never match. Broadcasts `ProductUpdated`.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    params: idParams,
    headers: conditionalHeaders,
    body: productV2Patch,
    success: { status: 200, description: "The changed product", schema: productV2, headers: { ETag: "Its new version" } },
    errors: ["NotFound", "PreconditionFailed", "Conflict"],
    async handler({ params, body, req, actor }) {
      const product = await commands.updateProduct(actor, params.id, productInputOf(body), acceptedVersions(req));
      return { status: 200, version: product.version, body: presentProductV2(product) };
    },
  });

  productDeleteOperation(api, commands);

  api.operation({
    method: "get",
    path: "/categories",
    operationId: "listCategories",
    cacheable: true,
    summary: "List categories",
    description: "Every category, by name.",
    tag: "Catalog",
    success: { status: 200, description: "All categories", schema: categoryV2Page },
    conditional: true,
    errors: [],
    async handler() {
      return { status: 200, body: { data: (await queries.listCategories()).map(presentCategory) } };
    },
  });

  categoryWriteOperations(api, queries, commands);
}
