// Development's `npm start` runs the sources as JavaScript that esbuild wrote to .dev-build/, with
// source maps, so stack traces name the .ts files. It replaced running them through tsx: tsx's
// loader answers every import (node_modules' too) from a second thread with its own heap, which
// cost about a second of every start and ~35 MiB (README: "Production"). esbuild strips the types
// file by file, as tsx did; type errors are `npm run typecheck`'s job, as they always were.
//
// Prints the entry point to run. Each tree of sources is built once, into a folder named by its
// manifest (the paths, sizes and modification times of the sources and assets), so a warm start
// pays a few milliseconds here, and starts running side by side (the tests) never replace files
// under each other's feet: a tree is built aside and renamed into place whole, and folders of
// earlier trees are removed.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { copyAssets, root, serverFiles } from "./server-files.mjs";

const buildsDir = path.join(root, ".dev-build");
const { sources, assets } = serverFiles();
const manifest = JSON.stringify(
  [...sources, ...assets].sort().map((file) => {
    const stat = statSync(path.join(root, file));
    return [file, stat.size, stat.mtimeMs];
  }),
);
const name = createHash("sha256").update(manifest).digest("hex").slice(0, 16);
const outDir = path.join(buildsDir, name);

if (!existsSync(path.join(outDir, "manifest.json"))) {
  const started = performance.now();
  const aside = path.join(buildsDir, `building-${process.pid}`);
  mkdirSync(buildsDir, { recursive: true });
  const { build } = await import("esbuild");
  await build({
    absWorkingDir: root,
    entryPoints: sources,
    outdir: aside,
    outbase: ".",
    format: "esm",
    platform: "node",
    target: `node${process.versions.node.split(".")[0]}`,
    sourcemap: true,
    logLevel: "error",
  });
  copyAssets(assets, aside);
  writeFileSync(path.join(aside, "manifest.json"), manifest);
  try {
    renameSync(aside, outDir);
  } catch (error) {
    // Another start built the same tree at the same moment and renamed it into place first.
    rmSync(aside, { recursive: true, force: true });
    if (!existsSync(path.join(outDir, "manifest.json"))) throw error;
  }
  const took = Math.round(performance.now() - started);
  process.stderr.write(`stockroom: sources transpiled into ${path.relative(root, outDir)}/ in ${took} ms\n`);
  for (const entry of readdirSync(buildsDir)) {
    if (entry !== name && !entry.startsWith("building-")) rmSync(path.join(buildsDir, entry), { recursive: true, force: true });
  }
}
process.stdout.write(path.relative(root, path.join(outDir, "src", "main.js")));
