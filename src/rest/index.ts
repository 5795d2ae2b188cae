import type { Router } from "express";
import type { ResponseCache } from "../http/response-cache.js";
import type { Modules } from "../modules/index.js";
import { blogRoutes } from "./blog.js";
import { catalogRoutesV1 } from "./catalog-v1.js";
import { catalogRoutesV2 } from "./catalog-v2.js";
import { inventoryRoutesV2 } from "./inventory.js";
import { meOperation } from "./me.js";
import { VersionedApi } from "./operations.js";
import { negotiatedVersion } from "./versioning.js";

/**
 * The versioned REST API over the core: one OpenAPI registry per version, and `mountOn`, which
 * serves /v1, /v2 and the Accept-negotiated paths on a router (the app's /api).
 */
export function buildRestApi(modules: Modules, cache?: ResponseCache) {
  const v1 = new VersionedApi(1, "ignore", cache);
  const v2 = new VersionedApi(2, "reject", cache);
  const { catalog, inventory, blog } = modules;
  catalogRoutesV1(v1, catalog.queries, catalog.commands);
  catalogRoutesV2(v2, catalog.queries, catalog.commands);
  inventoryRoutesV2(v2, inventory.queries, inventory.commands);
  for (const api of [v1, v2]) {
    blogRoutes(api, blog.queries, blog.commands);
    meOperation(api);
  }

  for (const api of [v1, v2]) api.rejectOtherMethods();

  const negotiated = negotiatedVersion({ 1: v1.router, 2: v2.router });
  const mountOn = (router: Router) => {
    router.use("/v1", v1.router);
    router.use("/v2", v2.router);
    router.use((req, res, next) => (/^\/v\d+(\/|$)/.test(req.path) ? next() : negotiated(req, res, next)));
  };
  return { mountOn, versions: { 1: v1, 2: v2 } };
}
