// Bundles the GraphQL explorer (src/graphql/explorer/start.js with GraphiQL, React and graphql-ws
// from node_modules) into src/graphql/explorer/browser.js, one classic script the server serves at
// /graphql/explorer/browser.js: nothing loads from a CDN. Runs on install (postinstall) and in
// `npm run build`. Without esbuild (dev dependencies left out) it leaves whatever browser.js holds.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const explorer = (name) => fileURLToPath(new URL(`../src/graphql/explorer/${name}`, import.meta.url));
// The Dockerfile installs before it copies src/: the build that follows bundles it then.
if (!existsSync(explorer("start.js"))) {
  process.stdout.write("GraphQL explorer: no src/graphql/explorer/start.js here yet, nothing to bundle\n");
  process.exit(0);
}
let esbuild;
try {
  esbuild = await import("esbuild");
} catch {
  process.stdout.write("GraphQL explorer: esbuild is not installed (dev dependencies left out), browser.js not built\n");
  process.exit(0);
}
const started = performance.now();
await esbuild.build({
  entryPoints: [explorer("start.js")],
  outfile: explorer("browser.js"),
  bundle: true,
  minify: true,
  format: "iife",
  target: "es2020",
  platform: "browser",
  define: { "process.env.NODE_ENV": '"production"' },
  legalComments: "none",
  logLevel: "warning",
});
process.stdout.write(
  `GraphQL explorer: bundled into src/graphql/explorer/browser.js in ${Math.round(performance.now() - started)} ms\n`,
);
