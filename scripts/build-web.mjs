// Builds the React client (web/) into web/dist, which the server serves at `/`. Runs as part of
// `npm install` (postinstall) so that a fresh clone's `npm install && npm start` shows the client.
// An install without dev dependencies (npm ci --omit=dev) has no Vite: it says so and leaves
// whatever web/dist holds; the server then shows its page of links at `/`.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const configFile = fileURLToPath(new URL("../web/vite.config.ts", import.meta.url));
if (!existsSync(configFile)) {
  process.stdout.write("web client: no web/ here yet, nothing to build\n");
  process.exit(0);
}
let vite;
try {
  vite = await import("vite");
} catch {
  process.stdout.write("web client: Vite is not installed (dev dependencies left out), web/dist not built\n");
  process.exit(0);
}
const started = performance.now();
await vite.build({ configFile, logLevel: "warn" });
process.stdout.write(`web client: built into web/dist in ${Math.round(performance.now() - started)} ms\n`);
