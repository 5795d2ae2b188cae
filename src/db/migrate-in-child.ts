import { fork } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { MigrationProcessAnswer } from "./migration-process.js";

// Beside this file, with its extension: .ts under tsx, .js in the build (dist/).
const self = fileURLToPath(import.meta.url);
const childModule = path.join(path.dirname(self), `migration-process${path.extname(self)}`);

/**
 * applyMigrations in a child process. Prisma's schema engine is WebAssembly whose compiled code and
 * allocations (about 50 MiB of RSS, measured in bench/startup) would otherwise stay in the server
 * for its lifetime; a process that exits gives all of it back.
 */
export async function applyMigrationsInChildProcess(url: string): Promise<string[]> {
  // Only a loader of TypeScript, never the parent's other node options (an --inspect port would clash).
  const execArgv = childModule.endsWith(".ts") ? ["--import", import.meta.resolve("tsx")] : [];
  const child = fork(childModule, [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const answered = once(child, "message").then(([message]) => message as MigrationProcessAnswer);
  child.send({ url });
  const result = await Promise.race([answered, exited.then(([code, signal]) => ({ exited: { code, signal } }))]);
  await exited;
  if ("applied" in result) return result.applied;
  if ("error" in result) throw Object.assign(new Error(result.error.message), { stack: result.error.stack });
  throw new Error(`the migration process exited (code ${result.exited.code}, signal ${result.exited.signal}) without an answer`);
}
