import { randomUUID } from "node:crypto";
import type { IdentityServer } from "../helpers/oauth.js";

// Provider states set up through the real server's own REST API with a real staff token, so a
// state is exactly what a client could have made happen.

const v2 = "application/vnd.stockroom.v2+json";

/** Calls the server's REST v2 and returns the JSON answer, failing loudly on anything but 2xx. */
export async function restCall<T>(
  server: IdentityServer,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${server.api}/v2${path}`, {
    method,
    headers: {
      accept: v2,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

type StockAnswer = { productId: number; version: number; onHand: number };

/** A new product (in the first category) with `onHand` units received; returns its id and stock version. */
export async function productWithStock(server: IdentityServer, staffToken: string, onHand: number, receipts = 1) {
  const categories = await restCall<{ data: { id: number }[] }>(server, undefined, "GET", "/categories");
  const sku = `PACT-${randomUUID().slice(0, 8).toUpperCase()}`;
  const product = await restCall<{ id: number }>(server, staffToken, "POST", "/products", {
    sku,
    name: `Contract test product ${sku}`,
    description: "Made by a provider state of the contract verification.",
    price: { amount: 990, currency: "EUR" },
    categoryId: categories.data[0]?.id,
  });
  let stock: StockAnswer | undefined;
  for (let i = 0; i < receipts; i++) {
    stock = await restCall<StockAnswer>(server, staffToken, "POST", `/products/${product.id}/stock/adjustments`, {
      kind: "receive",
      quantity: Math.ceil(onHand / receipts),
    });
  }
  return { productId: product.id, stockVersion: stock?.version ?? 0 };
}
