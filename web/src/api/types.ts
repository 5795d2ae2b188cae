// The shapes the client reads from REST v2 (`/api` with `Accept: application/vnd.stockroom.v2+json`).
// Only the fields the client uses: the Pact contracts hold the server to exactly these.

export type Money = { amount: number; currency: string };

export type StockLevel = { onHand: number; reserved: number; available: number; version: number };

export type Category = { id: number; slug: string; name: string };

export type Product = {
  id: number;
  sku: string;
  name: string;
  description: string;
  price: Money;
  categoryId: number;
  category?: Category;
  stock: StockLevel;
  version: number;
};

export type Page<T> = { data: T[]; page: { limit: number; nextCursor: string | null; prevCursor: string | null } };

export type ProductSortKey = "id" | "name" | "-name" | "price" | "-price" | "-createdAt";

export type ProductQuery = {
  limit?: number;
  cursor?: string;
  category?: number;
  q?: string;
  sort?: ProductSortKey;
};

export type StockMovementKind = "receive" | "adjust" | "reserve" | "release" | "ship";

export type StockMovement = {
  kind: StockMovementKind;
  quantity: number;
  reason?: string;
  /** The stock version the user saw: the server answers 409 if it moved on since. */
  expectedVersion?: number;
};

export type StockAnswer = StockLevel & { productId: number };

export type Me = {
  subject: { kind: "user" | "client"; id: string };
  clientId: string;
  scopes: string[];
  roles: ("customer" | "staff" | "admin")[];
};

export type IndexLink = { rel: string; href: string; title: string };

export type ServiceIndex = { name: string; links: IndexLink[] };
