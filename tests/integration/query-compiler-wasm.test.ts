import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadBase64WasmModule } from "../../src/db/query-compiler-wasm.js";

// src/db/query-compiler-wasm.ts compiles Prisma's query compiler from its base64 module without
// importing it (so the 2.2 MiB string is not held for the life of the process). Every database
// test runs through it; this one pins what it reads, on a module shaped like Prisma's.
// Node has WebAssembly; the ES libraries TypeScript is given here do not declare it.
declare const WebAssembly: { Instance: new (module: object) => { exports: { answer(): number } } };

const answerModule = Uint8Array.from([
  ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], // \0asm, version 1
  ...[0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f], // one type: () -> i32
  ...[0x03, 0x02, 0x01, 0x00], // one function of that type
  ...[0x07, 0x0a, 0x01, 0x06, ...Buffer.from("answer"), 0x00, 0x00], // exported as "answer"
  ...[0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2a, 0x0b], // its body: i32.const 42
]);

const folder = await mkdtemp(path.join(tmpdir(), "stockroom-wasm-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

async function moduleFile(name: string, source: string): Promise<string> {
  const file = path.join(folder, name);
  await writeFile(file, source);
  return pathToFileURL(file).href;
}

describe("loadBase64WasmModule", () => {
  it("compiles the binary a module holds as its base64 string, as Prisma ships its query compiler", async () => {
    const specifier = await moduleFile(
      "answer.wasm-base64.mjs",
      `const wasm = "${Buffer.from(answerModule).toString("base64")}";\nexport { wasm }\n`,
    );
    const compiled = await loadBase64WasmModule(specifier);
    const { exports } = new WebAssembly.Instance(compiled);
    expect(exports.answer()).toBe(42);
  });

  it("says which module holds no string", async () => {
    const specifier = await moduleFile("empty.mjs", "export const wasm = undefined;\n");
    await expect(loadBase64WasmModule(specifier)).rejects.toThrow(/empty\.mjs does not hold a base64 string/);
  });
});
