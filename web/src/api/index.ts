import { createBlogApi } from "./blog";
import { createGraphQLClient } from "./graphql";
import { createHttp, type HttpOptions } from "./http";
import { RealtimeClient } from "./realtime";
import { RequestLog } from "./request-log";
import { createRestApi } from "./rest";

/** `/ws` on the same origin as `baseUrl`. */
export function realtimeUrl(baseUrl: string): string {
  const url = new URL("/ws", baseUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  return url.href;
}

/**
 * The client's API module: every call to Stockroom goes through it. REST operations (`rest`),
 * GraphQL through Apollo Client (`graphql`, and the blog's operations on it as `blog`), the
 * realtime socket (`realtime`), and the HTTP layer OAuth uses (`http`), all with one token source
 * and one request log.
 */
export function createApi(options: Omit<HttpOptions, "log"> & { log?: RequestLog; WebSocket?: typeof WebSocket }) {
  const log = options.log ?? new RequestLog();
  const http = createHttp({ ...options, log });
  const realtime = new RealtimeClient({
    url: realtimeUrl(options.baseUrl),
    tokens: options.tokens,
    WebSocket: options.WebSocket,
  });
  const graphql = createGraphQLClient({ baseUrl: options.baseUrl, http, tokens: options.tokens });
  return { http, log, rest: createRestApi(http), graphql, blog: createBlogApi(graphql), realtime };
}

export type Api = ReturnType<typeof createApi>;
