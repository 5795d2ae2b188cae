// npm run build: compiles the server to dist/ (tsconfig.build.json) and copies the files tsc does
// not emit but the code reads beside itself (scripts/server-files.mjs), so dist/src mirrors src.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { copyAssets, root, serverFiles } from "./server-files.mjs";

// The explorer's bundle first: it is one of the files copied below.
const explorer = spawnSync(process.execPath, [path.join(root, "scripts/build-explorer.mjs")], { cwd: root, stdio: "inherit" });
if (explorer.status !== 0) process.exit(explorer.status ?? 1);

// A clean tree each time: a source file deleted since the last build must not live on in dist/.
const outDir = path.join(root, "dist");
rmSync(outDir, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
  cwd: root,
  stdio: "inherit",
});
if (tsc.status !== 0) process.exit(tsc.status ?? 1);
copyAssets(serverFiles().assets, outDir);
