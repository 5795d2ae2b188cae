import { createHttp, type HttpOptions } from "./http";
import { RequestLog } from "./request-log";
import { createRestApi } from "./rest";

/** The client's API module: every call to Stockroom goes through it (REST here; GraphQL and the socket use its token source and log). */
export function createApi(options: Omit<HttpOptions, "log"> & { log?: RequestLog }) {
  const log = options.log ?? new RequestLog();
  const http = createHttp({ ...options, log });
  return { http, log, rest: createRestApi(http) };
}

export type Api = ReturnType<typeof createApi>;
