// Shared by the GraphQL tests: an operation over real HTTP (supertest against the composed app), and
// a real graphql-ws client.
import type { Express } from "express";
import { type Client, createClient } from "graphql-ws";
import request from "supertest";
import WebSocket from "ws";

export type GraphQLResponse = {
  status: number;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: unknown[]; extensions?: Record<string, unknown> }[];
  };
  headers: Record<string, string>;
};

/** POSTs one operation to /graphql, with a bearer token when given. */
export async function graphql(
  app: Express,
  query: string,
  variables?: Record<string, unknown>,
  options: { token?: string; headers?: Record<string, string> } = {},
): Promise<GraphQLResponse> {
  const req = request(app).post("/graphql").set("Content-Type", "application/json");
  if (options.token) req.set("Authorization", `Bearer ${options.token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) req.set(name, value);
  const res = await req.send(JSON.stringify({ query, variables }));
  return { status: res.status, body: res.body, headers: res.headers as Record<string, string> };
}

/** The data of a response that must have no errors. */
export function dataOf(res: GraphQLResponse): Record<string, unknown> {
  if (res.body.errors?.length || res.status !== 200)
    throw new Error(`GraphQL errors (${res.status}): ${JSON.stringify(res.body)}`);
  return res.body.data ?? {};
}

/** What a graphql-ws operation delivered so far, and a way to wait for more. */
export type Collected = {
  results: { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] }[];
  done: Promise<void>;
  /** Resolves once `n` results have arrived (fails after `timeoutMs`). */
  untilCount(n: number, timeoutMs?: number): Promise<Collected["results"]>;
  stop(): void;
};

/** A real graphql-ws client of `url` (no retries: a test sees every close). */
export function wsClient(url: string, connectionParams?: Record<string, unknown>) {
  const closes: { code: number; reason: string }[] = [];
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: false,
    on: {
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closes.push({ code, reason });
      },
    },
    onNonLazyError: () => {},
  });
  return { client, closes };
}

/** Runs one operation over `client`, collecting its results. */
export function collect(client: Client, query: string, variables?: Record<string, unknown>): Collected {
  const results: Collected["results"] = [];
  const waiters: (() => void)[] = [];
  let stop = () => {};
  const done = new Promise<void>((resolve, reject) => {
    stop = client.subscribe(
      { query, variables },
      {
        next: (value) => {
          results.push(value as Collected["results"][number]);
          for (const wake of waiters.splice(0)) wake();
        },
        error: (error) => {
          // An operation's errors arrive as a list of GraphQL errors; a closed socket as a CloseEvent.
          if (Array.isArray(error)) results.push({ errors: error });
          for (const wake of waiters.splice(0)) wake();
          if (Array.isArray(error)) resolve();
          else reject(error);
        },
        complete: () => resolve(),
      },
    );
  });
  done.catch(() => {});
  return {
    results,
    done,
    stop: () => stop(),
    async untilCount(n, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      while (results.length < n) {
        if (Date.now() > deadline) throw new Error(`only ${results.length} of ${n} results: ${JSON.stringify(results)}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return results;
    },
  };
}
