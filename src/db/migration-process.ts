// The child process of applyMigrationsInChildProcess (migrate-in-child.ts): receives the database
// URL over IPC (not argv, where `ps` would show its password), applies the migrations, answers
// with the names applied or the error, and exits, taking the schema engine's memory with it.
import { applyMigrations } from "./migrator.js";

/** What the child answers over IPC. */
export type MigrationProcessAnswer = { applied: string[] } | { error: { message: string; stack?: string } };

const answer = (message: MigrationProcessAnswer) =>
  new Promise<void>((resolve) => (process.send ? process.send(message, () => resolve()) : resolve()));

let answered = false;
// The parent went away (killed while starting): nobody waits for the result.
process.on("disconnect", () => {
  if (!answered) process.exit(1);
});
process.once("message", async ({ url }: { url: string }) => {
  try {
    await answer({ applied: await applyMigrations(url) });
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    await answer({ error: { message, stack } });
  }
  answered = true;
  // Now, not when the event loop drains: the engine leaves a database socket behind that only its
  // idle timeout (10 s) would close.
  process.exit(0);
});
