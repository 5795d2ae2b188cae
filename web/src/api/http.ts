import { ApiProblem, NetworkError, problemFrom } from "./problem";
import type { RequestLog } from "./request-log";

// The one way the client talks HTTP to Stockroom: REST calls, GraphQL operations and the OAuth
// token endpoint all go through `send`, which adds the access token, retries once after renewing
// an expired one, and records each call (with its version headers) in the request log.

/** Where the access token comes from; `renew` gets a fresh one (refresh token or silent sign-in), or undefined. */
export type TokenSource = {
  current(): string | undefined;
  renew(): Promise<string | undefined>;
};

export type HttpOptions = {
  /** Origin (and optional path prefix) the paths are resolved against. */
  baseUrl: string;
  tokens?: TokenSource;
  log?: RequestLog;
  fetch?: typeof fetch;
};

export type HttpRequest = {
  operation: string;
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  /** Serialized as JSON. */
  json?: unknown;
  /** false: never send the token (public reads stay cacheable and anonymous). */
  authenticate?: boolean;
  signal?: AbortSignal;
};

export type Http = {
  /** Sends the request and returns the 2xx answer; throws ApiProblem for an error status, NetworkError when nothing answered. */
  send(request: HttpRequest): Promise<Response>;
  /** fetch() with logging only (no token handling), for libraries that bring their own requests (OAuth, Apollo). */
  loggedFetch(operation: string): typeof fetch;
};

const header = (response: Response, name: string) => response.headers.get(name);

/** Builds the API module's HTTP layer over `fetch`. */
export function createHttp(options: HttpOptions): Http {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function logged(operation: string, input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> {
    const started = performance.now();
    const url = new URL(input instanceof Request ? input.url : String(input), options.baseUrl);
    const method = init.method ?? (input instanceof Request ? input.method : "GET");
    const accept = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined)).get("accept");
    const shown = url.origin === new URL(options.baseUrl).origin ? `${url.pathname}${url.search}` : url.href;
    const base = { at: new Date().toISOString(), method, url: shown, operation, accept };
    try {
      const response = await doFetch(input, init);
      options.log?.add({
        ...base,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
        contentType: header(response, "content-type"),
        deprecation: header(response, "deprecation"),
        sunset: header(response, "sunset"),
        requestId: header(response, "x-request-id"),
      });
      return response;
    } catch (error) {
      if (init.signal?.aborted) throw error;
      options.log?.add({
        ...base,
        status: "network error",
        durationMs: Math.round(performance.now() - started),
        contentType: null,
        deprecation: null,
        sunset: null,
        requestId: null,
      });
      throw new NetworkError(error);
    }
  }

  async function attempt(request: HttpRequest, token: string | undefined): Promise<Response> {
    const url = new URL(request.path, options.baseUrl);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== "") url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { ...request.headers };
    if (token) headers.authorization = `Bearer ${token}`;
    if (request.json !== undefined) headers["content-type"] = "application/json";
    return logged(request.operation, url, {
      method: request.method,
      headers,
      body: request.json === undefined ? undefined : JSON.stringify(request.json),
      signal: request.signal,
    });
  }

  return {
    async send(request) {
      const wantsToken = request.authenticate !== false;
      const token = wantsToken ? options.tokens?.current() : undefined;
      let response = await attempt(request, token);
      // An expired token: renew once and repeat (writes carry an Idempotency-Key, so a repeat is safe).
      if (response.status === 401 && token && options.tokens) {
        const renewed = await options.tokens.renew();
        if (renewed) response = await attempt(request, renewed);
      }
      if (!response.ok) throw new ApiProblem(await problemFrom(response));
      return response;
    },
    loggedFetch: (operation) => (input, init) => logged(operation, input, init),
  };
}
