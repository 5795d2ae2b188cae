import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { describe, expect, it } from "vitest";
import { createPrismaClient } from "../../src/db/prisma.js";
import { createModules } from "../../src/modules/index.js";
import { buildRestApi } from "../../src/rest/index.js";

// Every route an API version mounts is in its OpenAPI document, and every documented operation is mounted.
type Layer = { route?: { path: string; methods: Record<string, boolean> } };

describe("the OpenAPI documents", () => {
  it("document exactly the operations each version mounts", () => {
    const { versions } = buildRestApi(createModules(createPrismaClient("postgres://unused@127.0.0.1:1/unused")));
    for (const api of Object.values(versions)) {
      const mounted = (api.router.stack as Layer[])
        .flatMap((layer) =>
          layer.route ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`) : [],
        )
        // The catch-all 405 routes (rejectOtherMethods) are not operations.
        .filter((op) => !op.startsWith("_ALL "))
        .map((op) => op.replace(/:(\w+)/g, "{$1}"))
        .sort();
      const document = new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
        openapi: "3.1.0",
        info: { title: "t", version: "1" },
      });
      const documented = Object.entries(document.paths ?? {})
        .flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`))
        .sort();
      expect(mounted.length).toBeGreaterThan(10);
      expect(mounted, `v${api.version}`).toEqual(documented);
    }
  });
});
