// GET /graphql from a browser: GraphiQL, from files this server serves (see assets.ts).
import type { Request } from "express";
import { Router } from "express";
import { explorerAssets } from "./assets.js";

/** Where the explorer's files are served, below the GraphQL path. */
const assetsPath = "/explorer";

// A browser navigating to the endpoint: it asks for HTML first and sends no operation.
function wantsExplorer(req: Request): boolean {
  if (req.method !== "GET" || req.query.query !== undefined || req.query.extensions !== undefined) return false;
  return req.accepts(["application/json", "application/graphql-response+json", "text/html"]) === "text/html";
}

const page = (endpoint: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stockroom GraphQL explorer</title>
<link rel="stylesheet" href="${endpoint}${assetsPath}/graphiql.css">
<link rel="stylesheet" href="${endpoint}${assetsPath}/explorer.css">
</head>
<body data-endpoint="${endpoint}">
<div id="graphiql">Loading the GraphQL explorer…</div>
<script src="${endpoint}${assetsPath}/browser.js"></script>
</body>
</html>
`;

// Scripts only from here; GraphiQL's editors set inline styles; the socket goes to this host.
const contentSecurityPolicy = (req: Request) =>
  [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self' ${req.protocol === "https" ? "wss" : "ws"}://${req.get("host") ?? "localhost"}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");

/** The explorer page at the endpoint (for browsers only; API clients pass through) and its files. */
export function explorerRoutes(endpoint: string): Router {
  // Built on the first request for a file: an instance nobody browses never holds GraphiQL and React (about 5 MiB).
  let assets: ReturnType<typeof explorerAssets> | undefined;
  const router = Router();
  router.get("/", (req, res, next) => {
    if (!wantsExplorer(req)) return next();
    res.set({ "Content-Security-Policy": contentSecurityPolicy(req), "Cache-Control": "no-cache", Vary: "Accept" });
    res.type("html").send(page(endpoint));
  });
  router.get(`${assetsPath}/:file`, (req, res, next) => {
    assets ??= explorerAssets();
    const asset = assets.get(req.params.file);
    if (!asset) return next();
    res.set("Cache-Control", "public, max-age=3600").type(asset.type).send(asset.body);
  });
  return router;
}
