import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import express, { type RequestHandler, Router } from "express";
import type { Logger } from "../logger.js";

// The React client (web/), built by `npm run build:web` (and by `npm install`) into web/dist.
// Its hashed assets are cached for good; its index.html answers each of the client's own pages,
// with a Content-Security-Policy that allows only this origin (scripts, styles, fetch, sockets)
// and framing by this origin only (the silent sign-in's hidden iframe lands on /callback).

/** The client's pages besides `/` (which the home route answers): keep in step with web/src/App.tsx. */
export const webClientPages = ["/callback", "/developers", "/blog", "/blog/:postId"];

const csp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "object-src 'none'",
].join("; ");

export type WebClient = {
  /** Answers with the client's index.html. */
  sendIndex: RequestHandler;
  /** Assets and the client's pages. */
  router: Router;
};

/** The built client in `distDir`, or undefined (logged) when it has not been built. */
export function loadWebClient(distDir: string, logger: Logger): WebClient | undefined {
  const indexFile = path.join(distDir, "index.html");
  if (!existsSync(indexFile)) {
    logger.warn({ distDir }, "the web client is not built: / shows a page of links (npm run build:web builds it)");
    return undefined;
  }
  const html = readFileSync(indexFile, "utf8");
  const sendIndex: RequestHandler = (_req, res) => {
    // Always revalidated: a new build must reach the next page load.
    res.set({
      "Content-Security-Policy": csp,
      "Cache-Control": "no-cache",
      "Referrer-Policy": "same-origin",
      "X-Content-Type-Options": "nosniff",
    });
    res.type("html").send(html);
  };
  const router = Router();
  // File names carry a hash of their content, so they never change under a name.
  router.use("/assets", express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false }));
  router.get("/favicon.svg", (_req, res) => res.sendFile(path.join(distDir, "favicon.svg"), { maxAge: "1d" }));
  router.get(webClientPages, sendIndex);
  return { sendIndex, router };
}
