// Runs `prisma generate` on a machine without Prisma's native schema engine:
// generate never calls the engine, but the CLI insists the binary exists, so point it at any file.
// Then points the generated client's query compiler loader at src/db/query-compiler-wasm.ts,
// which compiles the same WebAssembly without keeping its 2.2 MiB base64 module in the heap.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const self = fileURLToPath(import.meta.url);
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? self,
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
};
const result = spawnSync("npx", ["prisma", "generate"], { stdio: "inherit", env });
if (result.status !== 0) process.exit(result.status ?? 1);

const client = fileURLToPath(new URL("../src/generated/prisma/internal/class.ts", import.meta.url));
const generated = readFileSync(client, "utf8");
const loader = /const \{ wasm \} = await import\(("[^"]+\.wasm-base64\.mjs")\)\s*return await decodeBase64AsWasm\(wasm\)/;
if (!loader.test(generated)) {
  process.stderr.write(
    `prisma-generate: ${client} no longer loads its query compiler the way this script expects; update scripts/prisma-generate.mjs\n`,
  );
  process.exit(1);
}
writeFileSync(
  client,
  generated.replace(
    loader,
    (_, specifier) =>
      `const { loadBase64WasmModule } = await import("../../../db/query-compiler-wasm.js")\n    return await loadBase64WasmModule(${specifier})`,
  ),
);
