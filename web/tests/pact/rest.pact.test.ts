import { MatchersV3, type PactV4 } from "@pact-foundation/pact";
import { beforeAll, describe, expect, it } from "vitest";
import { createApi } from "../../src/api";
import { ApiProblem } from "../../src/api/problem";
import { v2MediaType } from "../../src/api/rest";
import { freshPact } from "./pact-files";

// What the client needs from REST, driven through the client's own API module (web/src/api):
// the module builds each request, the Pact mock server checks it and answers with examples of
// what the contract allows. tests/contract verifies every interaction against the real server.

const { integer, string, regex, eachLike, like, fromProviderState, uuid } = MatchersV3;

let pact: PactV4;
beforeAll(async () => {
  pact = await freshPact("stockroom-rest");
});

const v2ContentType = regex(/^application\/vnd\.stockroom\.v2\+json(;.*)?$/, `${v2MediaType}; charset=utf-8`);
const problemContentType = regex(/^application\/problem\+json(;.*)?$/, "application/problem+json; charset=utf-8");

const stock = { onHand: integer(40), reserved: integer(0), available: integer(40), version: integer(1) };
const product = {
  id: integer(1),
  sku: regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, "COF-ESP-250"),
  name: string("Espresso Blend 250 g"),
  description: string("Espresso Blend 250 g, from our coffee range."),
  price: { amount: integer(1290), currency: regex(/^[A-Z]{3}$/, "EUR") },
  categoryId: integer(1),
  category: { id: integer(1), slug: string("coffee"), name: string("Coffee") },
  stock,
  version: integer(1),
};
const cursorExample = "eyJrIjpbIkVzcHJlc3NvIl19.c2lnbmF0dXJl";

/** The client's API module pointed at the mock server, holding `token` (as after a sign-in). */
const apiAt = (url: string, token?: string) =>
  createApi({ baseUrl: url, tokens: { current: () => token, renew: async () => undefined } }).rest;

const bearer = fromProviderState("Bearer ${accessToken}", "Bearer example-access-token");

describe("REST v2 as the web client calls it", () => {
  it("reads the server's index of links", async () => {
    await pact
      .addInteraction()
      .uponReceiving("a request for the service index")
      .withRequest("GET", "/", (b) => b.headers({ accept: "application/json" }))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": regex(/^application\/json(;.*)?$/, "application/json; charset=utf-8") }).jsonBody({
          name: string("Stockroom"),
          links: eachLike({ rel: string("service-doc"), href: string("/docs"), title: string("API reference") }),
        }),
      )
      .executeTest(async (server) => {
        const index = await apiAt(server.url).serviceIndex();
        expect(index.links[0]).toEqual({ rel: "service-doc", href: "/docs", title: "API reference" });
      });
  });

  it("lists the first page of products, sorted by name, with category and stock", async () => {
    await pact
      .addInteraction()
      .given("products in several categories exist")
      .uponReceiving("a request for the first page of products by name")
      .withRequest("GET", "/api/products", (b) =>
        b.query({ limit: "12", sort: "name", include: "category" }).headers({ accept: v2MediaType }),
      )
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": v2ContentType }).jsonBody({
          data: eachLike(product),
          page: { limit: integer(12), nextCursor: string(cursorExample), prevCursor: null },
        }),
      )
      .executeTest(async (server) => {
        const page = await apiAt(server.url).listProducts({ limit: 12, sort: "name" });
        expect(page.data[0]?.stock.available).toBe(40);
        expect(page.data[0]?.category?.name).toBe("Coffee");
        expect(page.page.nextCursor).toBe(cursorExample);
      });
  });

  it("follows a cursor to the next page", async () => {
    await pact
      .addInteraction()
      .given("products span more than one page when sorted by name")
      .uponReceiving("a request for the next page of products by name")
      .withRequest("GET", "/api/products", (b) =>
        b
          .query({ limit: "12", sort: "name", include: "category", cursor: fromProviderState("${cursor}", cursorExample) })
          .headers({ accept: v2MediaType }),
      )
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": v2ContentType }).jsonBody({
          data: eachLike(product),
          page: { limit: integer(12), prevCursor: string(cursorExample) },
        }),
      )
      .executeTest(async (server) => {
        const page = await apiAt(server.url).listProducts({ limit: 12, sort: "name", cursor: cursorExample });
        expect(page.data.length).toBeGreaterThan(0);
        expect(page.page.prevCursor).toBe(cursorExample);
      });
  });

  it("searches one category, most expensive first", async () => {
    await pact
      .addInteraction()
      .given("products in several categories exist")
      .uponReceiving("a search for products in one category by price, descending")
      .withRequest("GET", "/api/products", (b) =>
        b
          .query({
            limit: "12",
            sort: "-price",
            q: "espresso",
            category: fromProviderState("${categoryId}", "1"),
            include: "category",
          })
          .headers({ accept: v2MediaType }),
      )
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": v2ContentType }).jsonBody({ data: eachLike(product), page: like({ limit: 12 }) }),
      )
      .executeTest(async (server) => {
        const page = await apiAt(server.url).listProducts({ limit: 12, sort: "-price", q: "espresso", category: 1 });
        expect(page.data[0]?.name).toBe("Espresso Blend 250 g");
      });
  });

  it("lists the categories for the filter", async () => {
    await pact
      .addInteraction()
      .given("products in several categories exist")
      .uponReceiving("a request for the categories")
      .withRequest("GET", "/api/categories", (b) => b.headers({ accept: v2MediaType }))
      .willRespondWith(200, (b) =>
        b
          .headers({ "Content-Type": v2ContentType })
          .jsonBody({ data: eachLike({ id: integer(1), slug: string("coffee"), name: string("Coffee") }) }),
      )
      .executeTest(async (server) => {
        expect(await apiAt(server.url).listCategories()).toEqual([{ id: 1, slug: "coffee", name: "Coffee" }]);
      });
  });

  it("asks who the token speaks for (scopes and roles)", async () => {
    await pact
      .addInteraction()
      .given("the caller holds a token of a staff user with inventory:write")
      .uponReceiving("a request for the caller's identity")
      .withRequest("GET", "/api/me", (b) => b.headers({ accept: v2MediaType, authorization: bearer }))
      .willRespondWith(200, (b) =>
        b.headers({ "Content-Type": v2ContentType }).jsonBody({
          subject: { kind: "user", id: string("1") },
          clientId: string("stockroom-web"),
          scopes: eachLike("inventory:write"),
          roles: eachLike(regex(/^(customer|staff|admin)$/, "staff")),
        }),
      )
      .executeTest(async (server) => {
        const me = await apiAt(server.url, "example-access-token").me();
        expect(me.roles).toEqual(["staff"]);
        expect(me.scopes).toContain("inventory:write");
      });
  });

  describe("stock movements by staff", () => {
    const adjustments = (example: number) =>
      fromProviderState("/api/products/${productId}/stock/adjustments", `/api/products/${example}/stock/adjustments`);
    const writeHeaders = {
      accept: v2MediaType,
      authorization: bearer,
      "content-type": "application/json",
      "idempotency-key": uuid("9f0c1b7e-3f47-4d2a-9a56-2d3c1e4b5a60"),
    };

    it("records a movement at the version the user saw", async () => {
      await pact
        .addInteraction()
        .given("a product with stock exists")
        .given("the caller holds a token of a staff user with inventory:write")
        .uponReceiving("a stock receipt at the current stock version")
        .withRequest("POST", adjustments(1), (b) =>
          b
            .headers(writeHeaders)
            .jsonBody({ kind: "receive", quantity: integer(5), expectedVersion: fromProviderState("${stockVersion}", 1) }),
        )
        .willRespondWith(201, (b) =>
          b.headers({ "Content-Type": v2ContentType }).jsonBody({
            productId: integer(1),
            onHand: integer(45),
            reserved: integer(0),
            available: integer(45),
            version: integer(2),
          }),
        )
        .executeTest(async (server) => {
          const answer = await apiAt(server.url, "example-access-token").adjustStock(
            1,
            { kind: "receive", quantity: 5, expectedVersion: 1 },
            "9f0c1b7e-3f47-4d2a-9a56-2d3c1e4b5a60",
          );
          expect(answer).toEqual({ productId: 1, onHand: 45, reserved: 0, available: 45, version: 2 });
        });
    });

    it("is refused with 409 when the stock moved on since the user saw it", async () => {
      await pact
        .addInteraction()
        .given("a product whose stock moved on past version 1")
        .given("the caller holds a token of a staff user with inventory:write")
        .uponReceiving("a stock receipt at a stale stock version")
        .withRequest("POST", adjustments(1), (b) =>
          b.headers(writeHeaders).jsonBody({ kind: "receive", quantity: integer(5), expectedVersion: 1 }),
        )
        .willRespondWith(409, (b) =>
          b.headers({ "Content-Type": problemContentType }).jsonBody({
            status: 409,
            code: "Conflict",
            title: string("The request conflicts with the current state."),
            detail: string("Stock of product 1 is at version 2, not 1."),
          }),
        )
        .executeTest(async (server) => {
          const call = apiAt(server.url, "example-access-token").adjustStock(
            1,
            { kind: "receive", quantity: 5, expectedVersion: 1 },
            "9f0c1b7e-3f47-4d2a-9a56-2d3c1e4b5a60",
          );
          await expect(call).rejects.toBeInstanceOf(ApiProblem);
          await expect(call).rejects.toMatchObject({ status: 409, code: "Conflict" });
        });
    });

    it("is refused with 422 when it would break a stock rule", async () => {
      await pact
        .addInteraction()
        .given("a product with stock exists")
        .given("the caller holds a token of a staff user with inventory:write")
        .uponReceiving("a reservation of more than is on hand")
        .withRequest("POST", adjustments(1), (b) => b.headers(writeHeaders).jsonBody({ kind: "reserve", quantity: 1_000_000 }))
        .willRespondWith(422, (b) =>
          b.headers({ "Content-Type": problemContentType }).jsonBody({
            status: 422,
            code: "InvariantViolated",
            title: string("The change would break a business rule."),
            detail: string(
              "StockReserved of 1000000 for product 1 refused: reserved stock (1000000) would exceed on-hand stock (40).",
            ),
          }),
        )
        .executeTest(async (server) => {
          const call = apiAt(server.url, "example-access-token").adjustStock(
            1,
            { kind: "reserve", quantity: 1_000_000 },
            "9f0c1b7e-3f47-4d2a-9a56-2d3c1e4b5a60",
          );
          await expect(call).rejects.toMatchObject({ status: 422, code: "InvariantViolated" });
        });
    });
  });
});
