// The explorer's files, from this server alone (nothing is loaded from a CDN): GraphiQL's
// stylesheet from its npm package, and browser.js, GraphiQL with React bundled by
// scripts/build-explorer.mjs (on install and in the build).
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const read = (...parts: string[]) => readFileSync(path.join(...parts), "utf8");
const here = path.dirname(fileURLToPath(import.meta.url));

// Shown in place of the explorer when the bundle was never built (an install without dev dependencies).
const notBuilt = `document.getElementById("graphiql").textContent = "The explorer is not built: run npm run build:explorer. The endpoint itself works.";`;

/** The explorer's static files by name: content type and body, read once. */
export function explorerAssets(): Map<string, { type: string; body: string }> {
  const graphiql = path.dirname(require.resolve("graphiql/package.json"));
  const bundle = path.join(here, "browser.js");
  return new Map([
    ["browser.js", { type: "text/javascript", body: existsSync(bundle) ? read(bundle) : notBuilt }],
    ["graphiql.css", { type: "text/css", body: read(graphiql, "graphiql.min.css") }],
    ["explorer.css", { type: "text/css", body: read(here, "explorer.css") }],
  ]);
}
