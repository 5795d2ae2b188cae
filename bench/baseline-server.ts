// The baseline for bench/rest: the same product list (same SQL shape, same JSON) served by plain
// node:http + pg, with nothing else. Run: tsx bench/baseline-server.ts <database-url> <port>
import http from "node:http";
import pg from "pg";

const [databaseUrl, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
// With ?include=category, the category is embedded, from the same statement.
const sql = `
  SELECT p.id, p.sku, p.name, p.description, p.price_amount, p.price_currency, p.category_id, p.version,
         p.created_at, p.updated_at, s.on_hand, s.reserved, s.version AS stock_version,
         c.slug AS c_slug, c.name AS c_name
  FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id JOIN categories c ON c.id = p.category_id
  ORDER BY p.id ASC LIMIT $1`;

http
  .createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const limit = Math.min(100, Number(url.searchParams.get("limit") ?? 20));
    const withCategory = url.searchParams.get("include") === "category";
    const { rows } = await pool.query(sql, [limit + 1]);
    const data = rows.slice(0, limit).map((r) => ({
      id: r.id,
      sku: r.sku,
      name: r.name,
      description: r.description,
      price: { amount: r.price_amount, currency: r.price_currency },
      categoryId: r.category_id,
      ...(withCategory && {
        category: { id: r.category_id, slug: r.c_slug, name: r.c_name },
      }),
      stock: {
        onHand: r.on_hand ?? 0,
        reserved: r.reserved ?? 0,
        available: (r.on_hand ?? 0) - (r.reserved ?? 0),
        version: r.stock_version ?? 0,
      },
      version: r.version,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    }));
    const last = data.at(-1);
    const nextCursor =
      rows.length > limit && last ? Buffer.from(JSON.stringify({ k: [last.id], d: "n" })).toString("base64url") : null;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ data, page: { limit, nextCursor, prevCursor: null } }));
  })
  .listen(Number(port), "127.0.0.1");
