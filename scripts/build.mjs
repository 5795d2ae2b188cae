// npm run build: compiles the server to dist/ (tsconfig.build.json), then copies the files tsc
// does not emit but the code reads beside itself (stylesheets, the AsyncAPI document, the GraphQL
// explorer's browser bundle), so dist/src mirrors src.
// Migrations and the Prisma schema are not copied: the code reads them from prisma/ at the
// package root (src/package-root.ts), the one folder `npm run db:migration` writes to.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const assetPattern = /\.(css|yaml)$|^browser\.js$/;

// The explorer's bundle first: it is one of the files copied below.
const explorer = spawnSync(process.execPath, [path.join(root, "scripts/build-explorer.mjs")], { cwd: root, stdio: "inherit" });
if (explorer.status !== 0) process.exit(explorer.status ?? 1);

// A clean tree each time: a source file deleted since the last build must not live on in dist/.
rmSync(path.join(root, "dist"), { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

for (const entry of readdirSync(path.join(root, "src"), { recursive: true, withFileTypes: true })) {
  if (!entry.isFile() || !assetPattern.test(entry.name)) continue;
  const from = path.join(entry.parentPath, entry.name);
  cpSync(from, path.join(root, "dist", path.relative(root, from)));
}
