// The HTTP server of the Express app: it creates each request and response with the app's own
// prototypes (app.request, app.response) rather than Node's.
//
// Why: Express re-parents every request and response as it starts handling them
// (Object.setPrototypeOf onto app.request and app.response). V8 does not cache that transition
// for Node's request and response objects, so each of them got a hidden class of its own: every
// property read on them (in Express, in Node's http internals, in our middleware) met a shape it
// had never seen (megamorphic inline caches), and every request allocated its own shape
// descriptors, which the young-generation collector then copied while the request waited for the
// database. Created with the app's prototypes, Express's re-parenting is a no-op and all requests
// share their shapes: the uncached list of bench/rest went from 524 to 379 µs of CPU per request in
// a same-run comparison.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Express } from "express";

// Node's constructors are plain functions, so a subtype can call them on its own instance.
const initRequest = http.IncomingMessage as unknown as (this: IncomingMessage, socket: Socket) => void;
const initResponse = http.ServerResponse as unknown as (this: ServerResponse, req: IncomingMessage, options?: object) => void;

/** An http.Server answering with `app`, whose requests and responses start with the app's prototypes. */
export function createExpressServer(app: Express): http.Server {
  function Request(this: IncomingMessage, socket: Socket) {
    initRequest.call(this, socket);
  }
  Request.prototype = app.request;
  function Response(this: ServerResponse, req: IncomingMessage, options?: object) {
    initResponse.call(this, req, options);
  }
  Response.prototype = app.response;
  return http.createServer(
    {
      IncomingMessage: Request as unknown as typeof IncomingMessage,
      ServerResponse: Response as unknown as typeof ServerResponse,
    },
    app,
  );
}
