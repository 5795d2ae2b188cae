import { describe, expect, it } from "vitest";
import { catalogHref, catalogQueryFrom } from "../../src/catalog/catalog-query";
import { formatMoney } from "../../src/catalog/money";
import { StockLevels } from "../../src/catalog/stock-levels";

describe("the catalog's URL", () => {
  it("round-trips filters, sort and cursor, leaving defaults out", () => {
    const query = catalogQueryFrom(new URL("http://x/?q=%20tea%20&category=2&sort=-price&cursor=abc"));
    expect(query).toEqual({ limit: 12, q: "tea", category: 2, sort: "-price", cursor: "abc" });
    expect(catalogHref(query)).toBe("/?q=tea&category=2&sort=-price&cursor=abc");
    expect(catalogHref(catalogQueryFrom(new URL("http://x/")))).toBe("/");
  });

  it("ignores what is not a filter it knows", () => {
    expect(catalogQueryFrom(new URL("http://x/?category=-3&sort=drop+table"))).toMatchObject({
      category: undefined,
      sort: "name",
    });
  });
});

describe("live stock levels", () => {
  it("keep the newest stream version, whatever order REST pages and events arrive in", () => {
    const levels = new StockLevels();
    let changes = 0;
    levels.subscribe(1, () => changes++);
    levels.offer(1, { onHand: 10, reserved: 0, available: 10, version: 3 });
    levels.offer(1, { onHand: 8, reserved: 0, available: 8, version: 2 }); // a page fetched before the event
    expect(levels.get(1)?.available).toBe(10);
    levels.offer(1, { onHand: 12, reserved: 1, available: 11, version: 4 });
    expect(levels.get(1)?.available).toBe(11);
    expect(changes).toBe(2);
  });
});

describe("prices", () => {
  it("are minor units in their currency", () => {
    expect(formatMoney({ amount: 1290, currency: "EUR" })).toMatch(/12[.,]90/);
    expect(formatMoney({ amount: 500, currency: "JPY" })).toMatch(/500/);
  });
});
