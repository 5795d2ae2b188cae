import type { Http } from "./http";
import type { Category, Me, Page, Product, ProductQuery, ServiceIndex, StockAnswer, StockMovement } from "./types";

// REST v2 as the client uses it. Calls go to `/api/…` and ask for version 2 with the vendor
// media type (the server's content negotiation), so the request log shows which version each
// call asked for and got.

/** The media type of REST v2. */
export const v2MediaType = "application/vnd.stockroom.v2+json";

const v2 = { accept: v2MediaType };

const json = <T>(response: Response) => response.json() as Promise<T>;

/** The REST operations the client calls. */
export function createRestApi(http: Http) {
  return {
    /** GET /: the server's index of links (documentation, OpenAPI documents, discovery). */
    async serviceIndex(): Promise<ServiceIndex> {
      return json(
        await http.send({
          operation: "serviceIndex",
          method: "GET",
          path: "/",
          headers: { accept: "application/json" },
          authenticate: false,
        }),
      );
    },

    /** A page of products with their category and live stock. */
    async listProducts(query: ProductQuery, signal?: AbortSignal): Promise<Page<Product>> {
      const response = await http.send({
        operation: "listProducts",
        method: "GET",
        path: "/api/products",
        query: { ...query, include: "category" },
        headers: v2,
        authenticate: false,
        signal,
      });
      return json(response);
    },

    /** Every category (for the filter). */
    async listCategories(signal?: AbortSignal): Promise<Category[]> {
      const response = await http.send({
        operation: "listCategories",
        method: "GET",
        path: "/api/categories",
        headers: v2,
        authenticate: false,
        signal,
      });
      return (await json<{ data: Category[] }>(response)).data;
    },

    /** Records a stock movement; `idempotencyKey` makes a repeat of the same submission harmless. */
    async adjustStock(productId: number, movement: StockMovement, idempotencyKey: string): Promise<StockAnswer> {
      const response = await http.send({
        operation: "adjustStock",
        method: "POST",
        path: `/api/products/${productId}/stock/adjustments`,
        headers: { ...v2, "idempotency-key": idempotencyKey },
        json: movement,
      });
      return json(response);
    },

    /** Who the token speaks for: scopes and roles. */
    async me(): Promise<Me> {
      return json(await http.send({ operation: "getMe", method: "GET", path: "/api/me", headers: v2 }));
    },
  };
}

export type RestApi = ReturnType<typeof createRestApi>;
