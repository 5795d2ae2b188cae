import type { z } from "zod";
import type { CatalogCommands, ProductInput } from "../modules/catalog/commands.js";
import type { CatalogQueries } from "../modules/catalog/queries.js";
import {
  categoryV1Page,
  conditionalHeaders,
  idParams,
  pageQueryV1,
  productV1,
  productV1Input,
  productV1Page,
  productV1Patch,
} from "../modules/catalog/schemas.js";
import { minorUnits } from "../modules/shared/money.js";
import { presentCategory, presentProductV1 } from "./catalog-presenters.js";
import { categoryWriteOperations, productDeleteOperation } from "./catalog-shared.js";
import { acceptedVersions } from "./conditional.js";
import type { VersionedApi } from "./operations.js";
import { offsetEnvelope } from "./pagination.js";

// v1 bodies carry money as a decimal `price` and its `currency`; the core takes minor units.
function productInputV1(body: z.infer<typeof productV1Input>, currency: string): ProductInput;
function productInputV1(body: z.infer<typeof productV1Patch>, currency: string | undefined): Partial<ProductInput>;
function productInputV1(body: z.infer<typeof productV1Patch>, currency: string | undefined): Partial<ProductInput> {
  return {
    sku: body.sku,
    name: body.name,
    description: body.description,
    priceAmount: body.price !== undefined && currency ? minorUnits(body.price, currency) : undefined,
    priceCurrency: body.currency,
    categoryId: body.categoryId,
  };
}

/** Catalog operations of v1 (deprecated): offset pages, decimal-string prices, flat objects. */
export function catalogRoutesV1(api: VersionedApi, queries: CatalogQueries, commands: CatalogCommands): void {
  api.operation({
    method: "get",
    path: "/products",
    operationId: "listProducts",
    cacheable: true,
    summary: "List products",
    description: "Products in id order, `page_size` (≤ 100) at a time, in a `count/next/previous/results` envelope.",
    tag: "Catalog",
    query: pageQueryV1,
    success: { status: 200, description: "A page of products", schema: productV1Page },
    conditional: true,
    errors: [],
    async handler({ query, req }) {
      const { page, page_size } = query;
      const { items, total } = await queries.listProducts({ offset: (page - 1) * page_size, limit: page_size });
      return { status: 200, body: offsetEnvelope(req, items.map(presentProductV1), total, page, page_size) };
    },
  });

  api.operation({
    method: "get",
    path: "/products/:id",
    operationId: "getProduct",
    cacheable: true,
    summary: "Get a product",
    description: "One product, with an `ETag` for conditional requests.",
    tag: "Catalog",
    params: idParams,
    success: { status: 200, description: "The product", schema: productV1 },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params }) {
      const product = await queries.getProduct(params.id);
      return { status: 200, version: product.version, body: presentProductV1(product) };
    },
  });

  api.operation({
    method: "post",
    path: "/products",
    operationId: "createProduct",
    summary: "Create a product",
    description: "Creates a product with no stock. Unknown fields are ignored and named in a `Warning` header.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    body: productV1Input,
    success: { status: 201, description: "Created", schema: productV1, headers: { Location: "URL of the new product" } },
    errors: ["Conflict"],
    async handler({ body, req, actor }) {
      const product = await commands.createProduct(actor, productInputV1(body, body.currency));
      return {
        status: 201,
        headers: { Location: `${req.baseUrl}/products/${product.id}` },
        version: product.version,
        body: presentProductV1(product),
      };
    },
  });

  api.operation({
    method: "patch",
    path: "/products/:id",
    operationId: "updateProduct",
    summary: "Change a product",
    description:
      "Changes the fields sent; `If-Match` with a stale ETag answers 412. A new `price` needs its `currency` unless the currency stays.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    params: idParams,
    headers: conditionalHeaders,
    body: productV1Patch,
    success: { status: 200, description: "The changed product", schema: productV1, headers: { ETag: "Its new version" } },
    errors: ["NotFound", "PreconditionFailed", "Conflict"],
    async handler({ params, body, req, actor }) {
      const expected = acceptedVersions(req);
      const currency =
        body.currency ?? (body.price !== undefined ? (await queries.getProduct(params.id)).priceCurrency : undefined);
      const product = await commands.updateProduct(actor, params.id, productInputV1(body, currency), expected);
      return { status: 200, version: product.version, body: presentProductV1(product) };
    },
  });

  productDeleteOperation(api, commands);

  api.operation({
    method: "get",
    path: "/categories",
    operationId: "listCategories",
    cacheable: true,
    summary: "List categories",
    description: "Every category in one page of the v1 envelope.",
    tag: "Catalog",
    success: { status: 200, description: "All categories", schema: categoryV1Page },
    conditional: true,
    errors: [],
    async handler() {
      const categories = (await queries.listCategories()).map(presentCategory);
      return { status: 200, body: { count: categories.length, next: null, previous: null, results: categories } };
    },
  });

  categoryWriteOperations(api, queries, commands);
}
