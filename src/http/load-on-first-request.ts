import { type RequestHandler, Router } from "express";

/**
 * A handler whose code is imported on its first request: `load` runs once (concurrent first
 * requests wait for the same load; a failed one is retried by the next request) and the handlers
 * it returns serve every request from then on. For what a production instance may never be asked
 * for (the documentation UIs), so that its packages stay out of memory until someone is.
 */
export function loadOnFirstRequest(load: () => Promise<RequestHandler | RequestHandler[]>): RequestHandler {
  let loaded: Promise<Router> | undefined;
  return (req, res, next) => {
    loaded ??= load().then(
      (handlers) => Router().use(handlers),
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    );
    loaded.then((router) => router(req, res, next), next);
  };
}
