// The files the server is made of, for the two ways it is turned into JavaScript: `npm run build`
// (tsc, for production: dist/) and development's `npm start` (esbuild, .dev-build/). Both emit
// the TypeScript sources and copy beside them the files the code reads next to itself
// (stylesheets, the AsyncAPI document, the GraphQL explorer's browser bundle), so the output's
// src/ mirrors src/. Migrations and the Prisma schema are read from prisma/ at the package root
// (src/package-root.ts), the one folder `npm run db:migration` writes to.
import { cpSync, readdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const assetPattern = /\.(css|yaml)$|^browser\.js$/;

/** Paths relative to the package root: the TypeScript sources (what tsconfig.build.json includes) and the assets beside them. */
export function serverFiles() {
  const sources = ["prisma/seed.ts"];
  const assets = [];
  for (const entry of readdirSync(path.join(root, "src"), { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.relative(root, path.join(entry.parentPath, entry.name));
    if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) sources.push(file);
    else if (assetPattern.test(entry.name)) assets.push(file);
  }
  return { sources, assets };
}

/** Copies `assets` (relative to the root) into `outDir`, at the same relative paths. */
export function copyAssets(assets, outDir) {
  for (const file of assets) cpSync(path.join(root, file), path.join(outDir, file));
}
