// Shared by the GraphQL tests: an operation over real HTTP (supertest against the composed app).
import type { Express } from "express";
import request from "supertest";

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
