import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The client is built into web/dist, which the server serves at `/`. `npm run dev:web` runs Vite's
// dev server on :5173 (a redirect URI the seeded client `stockroom-web` already has) and proxies
// every server route to the Stockroom at STOCKROOM_URL, so the app's own calls stay same-origin.
const stockroom = process.env.STOCKROOM_URL ?? "http://localhost:3000";
const proxied = ["/api", "/graphql", "/ws", "/docs", "/redoc"];

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [react()],
  // The sign-in (issuer) and the API's token audience live at the server's own origin, also in dev.
  define: { "import.meta.env.VITE_STOCKROOM_URL": JSON.stringify(stockroom) },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: true, reportCompressedSize: false },
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(proxied.map((path) => [path, { target: stockroom, ws: path === "/ws" || path === "/graphql" }])),
  },
  logLevel: "warn",
});
