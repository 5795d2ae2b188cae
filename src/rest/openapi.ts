import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import express, { type RequestHandler, Router } from "express";
import { apiScopes, scopeDescriptions } from "../auth/scopes.js";
import type { Config } from "../config.js";
import { loadOnFirstRequest } from "../http/load-on-first-request.js";
import { apiResourceFor, oauthMountPath } from "../oauth/paths.js";
import type { VersionedApi } from "./operations.js";
import { v1Deprecation } from "./versioning.js";

/** The client Swagger UI's "Authorize" signs in with (authorization code + PKCE). */
export const docsClientId = "stockroom-web";
/** Where the provider sends Swagger UI back after sign-in; registered for the docs client. */
export const swaggerRedirectPath = "/docs/oauth2-redirect.html";

const documents = new WeakMap<VersionedApi, ReturnType<typeof generateDocument>>();

/** The OpenAPI 3.1 document of one API version, generated (once) from the registry its routes filled. */
export function openApiDocument(api: VersionedApi, config: Pick<Config, "publicUrl">) {
  const cached = documents.get(api) ?? generateDocument(api, config);
  documents.set(api, cached);
  return cached;
}

function generateDocument(api: VersionedApi, config: Pick<Config, "publicUrl">) {
  const oauth = `${config.publicUrl}${oauthMountPath}`;
  const scopes = Object.fromEntries(apiScopes.map((scope) => [scope, scopeDescriptions[scope] ?? scope]));
  // Only the authorization code flow is a `flows` entry: Swagger UI offers every listed flow in its
  // Authorize dialog, and its client (stockroom-web, public) cannot use client credentials.
  api.registry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description: [
      `Stockroom's own authorization server (${oauth}); access tokens are RFC 9068 JWTs for the resource \`${apiResourceFor(config.publicUrl)}\`.`,
      "Browser apps use the authorization code flow with PKCE (S256) and send `resource` (RFC 8707) on the authorization request.",
      `Machine clients (registered with \`npm run oauth -- client:create --grant client_credentials\`) use the client credentials grant at \`${oauth}/token\` with HTTP Basic client authentication and the same scopes.`,
    ].join(" "),
    flows: {
      authorizationCode: { authorizationUrl: `${oauth}/auth`, tokenUrl: `${oauth}/token`, refreshUrl: `${oauth}/token`, scopes },
    },
  });
  const deprecated = api.version === 1;
  return new OpenApiGeneratorV31(api.registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: `Stockroom API v${api.version}`,
      version: `${api.version}.0.0`,
      description: deprecated
        ? `Version 1 is deprecated since ${v1Deprecation.deprecatedAt.toISOString().slice(0, 10)} and will be removed on ${v1Deprecation.sunsetAt.toISOString().slice(0, 10)}; every answer says so in its Deprecation and Sunset headers. Move to v2.`
        : "Product catalog with live, event-sourced inventory. Errors are RFC 9457 problem documents. Send `Accept: application/vnd.stockroom.v2+json` to /api to choose this version without a /v2 prefix. Live comments and live stock levels over WebSockets: see [the realtime protocol](/docs/realtime) (AsyncAPI).",
      license: { name: "Proprietary", identifier: "LicenseRef-Stockroom" },
      contact: { name: "Stockroom", url: config.publicUrl },
    },
    // Relative, so the document is right wherever the server is reached (OAS 3.1 §4.8.5).
    servers: [{ url: `/api/v${api.version}`, description: "This server" }],
    tags: [
      { name: "Catalog", description: "Categories and products" },
      ...(api.version === 2 ? [{ name: "Inventory", description: "Event-sourced stock levels and movements" }] : []),
      { name: "Blog", description: "Posts and comments" },
      { name: "Account", description: "The caller's identity" },
    ],
  });
}

/** GET /vN/openapi.json on `router` (the /api router, after its CORS and authentication); each document is generated on its first request. */
export function serveOpenApiDocuments(router: Router, apis: VersionedApi[], config: Pick<Config, "publicUrl">): void {
  for (const api of apis) {
    router.get(`/v${api.version}/openapi.json`, (_req, res) => {
      res.json(openApiDocument(api, config));
    });
  }
}

/**
 * Swagger UI over the documents of serveOpenApiDocuments, served from the installed package
 * (offline), to mount at /docs. swagger-ui-express is imported on the first visit: an instance
 * nobody reads the docs of never loads it.
 */
export function swaggerUiRoutes(apis: VersionedApi[], config: Pick<Config, "publicUrl">): RequestHandler {
  const newestFirst = [...apis].sort((a, b) => b.version - a.version);
  const swaggerOptions = {
    explorer: true,
    customSiteTitle: "Stockroom API",
    swaggerOptions: {
      // The version picker: Swagger UI's own `urls` option.
      urls: newestFirst.map((api) => ({ url: `/api/v${api.version}/openapi.json`, name: `v${api.version}` })),
      oauth2RedirectUrl: `${config.publicUrl}${swaggerRedirectPath}`,
      // API scopes only, and the API named as the resource: the code then redeems for the API's JWT
      // (with `openid` and no `resource` on the token request, the provider would mint a userinfo token).
      oauth: {
        clientId: docsClientId,
        usePkceWithAuthorizationCodeGrant: true,
        scopes: [...apiScopes],
        additionalQueryStringParams: { resource: apiResourceFor(config.publicUrl) },
      },
      persistAuthorization: false,
      // The default validator badge sends the document's URL to validator.swagger.io.
      validatorUrl: null,
    },
  };
  return loadOnFirstRequest(async () => {
    const { default: swaggerUi } = await import("swagger-ui-express");
    return [...swaggerUi.serveFiles(undefined, swaggerOptions), swaggerUi.setup(undefined, swaggerOptions)];
  });
}

/** Redoc, one page per version (`?v=1`), with its bundle served locally; to mount at redocPath. */
export function redocRoutes(apis: VersionedApi[]): Router {
  const router = Router();
  const redocBundle = path.join(path.dirname(createRequire(import.meta.url).resolve("redoc")), "..", "bundles");
  router.get("/assets/redoc.standalone.js", (_req, res) => {
    res.set("Cache-Control", "public, max-age=3600").type("js").send(offlineRedocBundle(redocBundle));
  });
  router.get(redocLogoFile, (_req, res) => {
    res.set("Cache-Control", "public, max-age=86400").type("svg").send(redocLogo);
  });
  router.use("/assets", express.static(redocBundle, { index: false }));
  const newestFirst = [...apis].sort((a, b) => b.version - a.version);
  const versions = newestFirst.map((api) => `<a href="${redocPath}?v=${api.version}">v${api.version}</a>`).join(" · ");
  router.get("/", (req, res) => {
    const version = newestFirst.find((api) => String(api.version) === req.query.v)?.version ?? newestFirst[0]?.version ?? 2;
    res
      .type("html")
      .send(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stockroom API v${version}</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><nav style="font:14px sans-serif;padding:8px">${versions}</nav><redoc spec-url="/api/v${version}/openapi.json"></redoc><script src="${redocPath}/assets/redoc.standalone.js"></script></body></html>`,
      );
  });
  return router;
}

// Redoc's standalone bundle shows its attribution logo from cdn.redoc.ly; the docs must not reach
// off the machine (they work offline, and a reader's visit is nobody else's business), so the
// bundle is served with that one URL pointing at a local image.
export const redocPath = "/redoc";
const redocLogoFile = "/assets/logo-mini.svg";
const redocLogoPath = `${redocPath}${redocLogoFile}`;
const redocLogo =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16" width="16" height="16"><rect width="16" height="16" rx="3" fill="#32329f"/></svg>';
let redocBundleText: string | undefined;
function offlineRedocBundle(bundleDir: string): string {
  redocBundleText ??= readFileSync(path.join(bundleDir, "redoc.standalone.js"), "utf8").replaceAll(
    "https://cdn.redoc.ly/redoc/logo-mini.svg",
    redocLogoPath,
  );
  return redocBundleText;
}
