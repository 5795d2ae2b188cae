import { Router } from "express";
import type { PrismaClient } from "./db/prisma.js";
import { VersionedApi } from "./http/api.js";
import type { ResponseCache } from "./http/response-cache.js";
import { negotiatedVersion } from "./http/versioning.js";
import { meOperation } from "./modules/accounts/rest.js";
import { createBlogCommands } from "./modules/blog/commands.js";
import { createBlogQueries } from "./modules/blog/queries.js";
import { blogRoutes } from "./modules/blog/rest.js";
import { createCatalogCommands } from "./modules/catalog/commands.js";
import { createCatalogQueries } from "./modules/catalog/queries.js";
import { catalogRoutesV1 } from "./modules/catalog/rest-v1.js";
import { catalogRoutesV2 } from "./modules/catalog/rest-v2.js";
import { createInventoryCommands } from "./modules/inventory/commands.js";
import { createInventoryQueries } from "./modules/inventory/queries.js";
import { inventoryRoutesV2 } from "./modules/inventory/rest.js";

/** The versioned REST API: /v1, /v2, and Accept-negotiated paths, with one OpenAPI registry per version. */
export function buildRestApi(prisma: PrismaClient, cache?: ResponseCache) {
  const v1 = new VersionedApi(1, "ignore", cache);
  const v2 = new VersionedApi(2, "reject", cache);
  const catalogQueries = createCatalogQueries(prisma);
  const catalogCommands = createCatalogCommands(prisma);
  catalogRoutesV1(v1, catalogQueries, catalogCommands);
  catalogRoutesV2(v2, catalogQueries, catalogCommands);
  inventoryRoutesV2(v2, createInventoryQueries(prisma), createInventoryCommands(prisma));
  const blogQueries = createBlogQueries(prisma);
  const blogCommands = createBlogCommands(prisma);
  for (const api of [v1, v2]) {
    blogRoutes(api, blogQueries, blogCommands);
    meOperation(api);
  }

  for (const api of [v1, v2]) api.rejectOtherMethods();

  const router = Router();
  router.use("/v1", v1.router);
  router.use("/v2", v2.router);
  const negotiated = negotiatedVersion({ 1: v1.router, 2: v2.router });
  router.use((req, res, next) => (/^\/v\d+(\/|$)/.test(req.path) ? next() : negotiated(req, res, next)));
  return { router, versions: { 1: v1, 2: v2 } };
}
