// /docs/realtime: the WebSocket protocol's AsyncAPI document (asyncapi.yaml beside this file),
// rendered by @asyncapi/react-component's standalone bundle, which parses the document in the
// browser. Everything the page loads comes from this server (the bundle and its styles straight
// from node_modules), so the docs work offline and a reader's visit reaches nobody else.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Response, Router } from "express";

/** Where the AsyncAPI document of the WebSocket protocol lives in the source tree. */
export const asyncApiPath = fileURLToPath(new URL("./asyncapi.yaml", import.meta.url));

/** Where the protocol's page and document are served. */
export const realtimeDocsPath = "/docs/realtime";
const base = realtimeDocsPath;
const componentDir = path.dirname(createRequire(import.meta.url).resolve("@asyncapi/react-component/package.json"));

// The page's own script, a file rather than inline so the page's CSP can forbid inline scripts.
const renderScript = `fetch(${JSON.stringify(`${base}/asyncapi.yaml`)})
  .then((res) => { if (!res.ok) throw new Error("asyncapi.yaml: " + res.status); return res.text(); })
  .then((schema) => AsyncApiStandalone.render(
    { schema, config: { show: { sidebar: true }, sidebar: { showOperations: "byDefault" }, expand: { messageExamples: true } } },
    document.getElementById("asyncapi"),
  ));
`;

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Stockroom realtime protocol</title><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="${base}/assets/default.min.css"></head><body><nav style="font:14px sans-serif;padding:8px"><a href="/docs">REST (Swagger UI)</a> · <a href="/redoc">REST (Redoc)</a> · <a href="${base}/asyncapi.yaml">asyncapi.yaml</a></nav><div id="asyncapi"></div><script src="${base}/assets/standalone.js"></script><script src="${base}/assets/render.js"></script></body></html>`;

// The bundle's parser compiles JSON schemas into functions (ajv), hence 'unsafe-eval'; React sets
// style attributes, hence 'unsafe-inline' for styles only.
const pageCsp =
  "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'";

// Read on first use, then kept: the files are part of the build, and the bundle is 3 MB that an
// app which never serves the page (most tests) need not load.
const files = new Map<string, Buffer>();
function fileAt(file: string): Buffer {
  const cached = files.get(file) ?? readFileSync(file);
  files.set(file, cached);
  return cached;
}

function sendCached(res: Response, type: string, body: string | Buffer) {
  res.set("Cache-Control", "public, max-age=3600").type(type).send(body);
}

/** The rendered protocol, asyncapi.yaml and the page's assets; mount at realtimeDocsPath, before /docs. */
export function realtimeDocsRoutes(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.set("Content-Security-Policy", pageCsp).type("html").send(page);
  });
  router.get("/asyncapi.yaml", (_req, res) => sendCached(res, "application/yaml; charset=utf-8", fileAt(asyncApiPath)));
  router.get("/assets/standalone.js", (_req, res) =>
    sendCached(res, "js", fileAt(path.join(componentDir, "browser", "standalone", "index.js"))),
  );
  router.get("/assets/default.min.css", (_req, res) =>
    sendCached(res, "css", fileAt(path.join(componentDir, "styles", "default.min.css"))),
  );
  router.get("/assets/render.js", (_req, res) => sendCached(res, "js", renderScript));
  return router;
}
