// Catalog operations that are the same in v1 and v2.
import type { CatalogCommands } from "../modules/catalog/commands.js";
import type { CatalogQueries } from "../modules/catalog/queries.js";
import { categoryInput, categoryPatch, categorySchema, conditionalHeaders, idParams } from "../modules/catalog/schemas.js";
import { presentCategory } from "./catalog-presenters.js";
import { acceptedVersions } from "./conditional.js";
import type { VersionedApi } from "./operations.js";

/** DELETE /products/{id}: the same in v1 and v2. */
export function productDeleteOperation(api: VersionedApi, commands: CatalogCommands): void {
  api.operation({
    method: "delete",
    path: "/products/:id",
    operationId: "deleteProduct",
    summary: "Delete a product",
    description: "Staff only. Honors `If-Match`. The product's inventory events stay in the log. Broadcasts `ProductDeleted`.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    params: idParams,
    headers: conditionalHeaders,
    success: { status: 204, description: "Deleted" },
    errors: ["NotFound", "PreconditionFailed"],
    async handler({ params, req, actor }) {
      await commands.deleteProduct(actor, params.id, acceptedVersions(req));
      return { status: 204 };
    },
  });
}

/** Category reads by id and writes: the same shape in v1 and v2. */
export function categoryWriteOperations(api: VersionedApi, queries: CatalogQueries, commands: CatalogCommands): void {
  api.operation({
    method: "get",
    path: "/categories/:id",
    operationId: "getCategory",
    cacheable: true,
    summary: "Get a category",
    description: "One category.",
    tag: "Catalog",
    params: idParams,
    success: { status: 200, description: "The category", schema: categorySchema },
    conditional: true,
    errors: ["NotFound"],
    async handler({ params }) {
      return { status: 200, body: presentCategory(await queries.getCategory(params.id)) };
    },
  });
  api.operation({
    method: "post",
    path: "/categories",
    operationId: "createCategory",
    summary: "Create a category",
    description: "Creates a category; its slug must be unique.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    body: categoryInput,
    success: { status: 201, description: "Created", schema: categorySchema, headers: { Location: "URL of the new category" } },
    errors: ["Conflict"],
    async handler({ body, req, actor }) {
      const category = await commands.createCategory(actor, body);
      return { status: 201, headers: { Location: `${req.baseUrl}/categories/${category.id}` }, body: presentCategory(category) };
    },
  });
  api.operation({
    method: "patch",
    path: "/categories/:id",
    operationId: "updateCategory",
    summary: "Change a category",
    description: "Changes the fields sent.",
    tag: "Catalog",
    scopes: ["catalog:write"],
    params: idParams,
    body: categoryPatch,
    success: { status: 200, description: "The changed category", schema: categorySchema },
    errors: ["NotFound", "Conflict"],
    async handler({ params, body, actor }) {
      return { status: 200, body: presentCategory(await commands.updateCategory(actor, params.id, body)) };
    },
  });
  api.operation({
    method: "delete",
    path: "/categories/:id",
    operationId: "deleteCategory",
    summary: "Delete a category",
    description: "Staff only; a category that still has products cannot be deleted (409).",
    tag: "Catalog",
    scopes: ["catalog:write"],
    params: idParams,
    success: { status: 204, description: "Deleted" },
    errors: ["NotFound", "Conflict"],
    async handler({ params, actor }) {
      await commands.deleteCategory(actor, params.id);
      return { status: 204 };
    },
  });
}
