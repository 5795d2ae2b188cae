// Prisma's query compiler, a WebAssembly module, ships inside a JavaScript module that holds the
// binary as one base64 string (2.2 MiB), and the generated client imports that module. An
// imported module lives as long as the process, so its source text and the string (4.4 MiB of
// JavaScript heap) stayed resident in every instance long after the compiler was compiled.
// Reading the same file as text and compiling its bytes leaves nothing of it behind.
// scripts/prisma-generate.mjs points the generated client here.
import { readFile } from "node:fs/promises";

// Node has WebAssembly; the ES libraries TypeScript is given here do not declare it (the DOM one does).
type WasmModule = object;
declare const WebAssembly: { Module: new (bytes: Uint8Array) => WasmModule };

/** Compiles the WebAssembly binary held as the one string literal of the module `specifier`. */
export async function loadBase64WasmModule(specifier: string): Promise<WasmModule> {
  const text = await readFile(new URL(import.meta.resolve(specifier)), "utf8");
  const start = text.indexOf('"') + 1;
  const end = text.indexOf('"', start);
  if (start === 0 || end <= start) throw new Error(`${specifier} does not hold a base64 string`);
  return new WebAssembly.Module(Buffer.from(text.slice(start, end), "base64"));
}
