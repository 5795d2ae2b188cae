// GET /: browsers get the React client (web/), API clients a JSON index of where to go from here
// (RFC 9110 §12.5.1): the same links the client's API page shows, which it reads from this index.
// Without a built client, browsers get a small HTML page of those links instead.
import type { RequestHandler } from "express";
import type { Config } from "../config.js";
import { oauthMountPath } from "../oauth/paths.js";

type HomeLink = { rel: string; href: string; title: string };

function homeLinks(publicUrl: string): HomeLink[] {
  return [
    { rel: "service-doc", href: "/docs", title: "API reference (Swagger UI, with sign-in)" },
    { rel: "service-doc", href: "/redoc", title: "API reference (Redoc)" },
    { rel: "service-doc", href: "/docs/realtime", title: "WebSocket protocol (AsyncAPI)" },
    { rel: "service-desc", href: "/docs/realtime/asyncapi.yaml", title: "AsyncAPI 3.0 document of the WebSocket protocol" },
    { rel: "service-desc", href: "/api/v2/openapi.json", title: "OpenAPI 3.1 document of v2" },
    { rel: "service-desc", href: "/api/v1/openapi.json", title: "OpenAPI 3.1 document of v1 (deprecated)" },
    { rel: "collection", href: "/api/v2/products", title: "REST v2: products" },
    { rel: "collection", href: "/api/v2/posts", title: "REST v2: blog posts" },
    {
      rel: "oauth-discovery",
      href: `${publicUrl}${oauthMountPath}/.well-known/openid-configuration`,
      title: "OAuth 2.0 / OpenID Connect discovery",
    },
  ];
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);

function homeHtml(links: HomeLink[]): string {
  const items = links.map((link) => `<li><a href="${escapeHtml(link.href)}">${escapeHtml(link.title)}</a></li>`).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stockroom</title><meta name="viewport" content="width=device-width, initial-scale=1"></head><body><h1>Stockroom</h1><p>Product catalog, live inventory and a blog over REST, with its own OAuth 2.0 server.</p><ul>${items}</ul></body></html>`;
}

/** GET /: the client (or the link page) for browsers, a JSON index for everyone else (no Accept, `*\/*`, `application/json`). */
export function homePage(config: Pick<Config, "publicUrl">, sendClient?: RequestHandler): RequestHandler {
  const links = homeLinks(config.publicUrl);
  const html = homeHtml(links);
  const index = { name: "Stockroom", links };
  return (req, res, next) => {
    res.vary("Accept");
    const browser = req.accepts(["application/json", "text/html"]) === "text/html";
    if (browser && sendClient) {
      sendClient(req, res, next);
      return;
    }
    if (browser) {
      res.set("Content-Security-Policy", "default-src 'none'").type("html").send(html);
      return;
    }
    res.json(index);
  };
}
