// GraphiQL's files, read from the installed npm packages (nothing is loaded from a CDN). GraphiQL 4
// ships a browser bundle that takes React from globals; React 19 ships CommonJS only, so its
// production files are wrapped here in a few lines of module registry that set those globals.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);
const packageDir = (name: string, from = require) => path.dirname(from.resolve(`${name}/package.json`));
const read = (...parts: string[]) => readFileSync(path.join(...parts), "utf8");
const here = path.dirname(fileURLToPath(import.meta.url));

// React and ReactDOM as one classic script: each CommonJS file in a factory, required in order.
function reactBundle(): string {
  const reactDom = packageDir("react-dom");
  const fromReactDom = createRequire(path.join(reactDom, "package.json"));
  const files: Record<string, string> = {
    react: path.join(packageDir("react"), "cjs/react.production.js"),
    scheduler: path.join(packageDir("scheduler", fromReactDom), "cjs/scheduler.production.js"),
    "react-dom": path.join(reactDom, "cjs/react-dom.production.js"),
    "react-dom/client": path.join(reactDom, "cjs/react-dom-client.production.js"),
  };
  const factories = Object.entries(files)
    .map(([name, file]) => `${JSON.stringify(name)}: function (module, exports, require) {\n${read(file)}\n}`)
    .join(",\n");
  return `(function () {
"use strict";
var factories = {${factories}};
var cache = {};
function load(name) {
  if (!cache[name]) {
    var module = { exports: {} };
    cache[name] = module;
    factories[name](module, module.exports, load);
  }
  return cache[name].exports;
}
window.React = load("react");
window.ReactDOM = Object.assign({}, load("react-dom"), load("react-dom/client"));
})();
`;
}

/** The explorer's static files by name: content type and body, built once. */
export function explorerAssets(): Map<string, { type: string; body: string }> {
  const graphiql = packageDir("graphiql");
  return new Map([
    ["react.js", { type: "text/javascript", body: reactBundle() }],
    ["graphiql.js", { type: "text/javascript", body: read(graphiql, "graphiql.min.js") }],
    ["graphiql.css", { type: "text/css", body: read(graphiql, "graphiql.min.css") }],
    ["start.js", { type: "text/javascript", body: read(here, "start.js") }],
    ["explorer.css", { type: "text/css", body: read(here, "explorer.css") }],
  ]);
}
