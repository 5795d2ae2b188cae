// The baseline for bench/rest and bench/graphql: the same data (same JSON) served by plain
// node:http + pg with ONE SQL statement per request and nothing else.
//   GET  /api/v2/products?limit=n   REST v2's product list (&include=category: with the category embedded)
//   POST /graphql                   the answers of bench/graphql's operations, chosen by operationName
//                                   ("Products": 20 products with category and stock; "Posts": posts
//                                   × 10 comments × author), the query text itself left unread
// Run: tsx bench/baseline-server.ts <database-url> <port>
import http from "node:http";
import pg from "pg";

const [databaseUrl, port] = process.argv.slice(2);
const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
// With ?include=category the category is embedded, from the same statement.
const restSql = `
  SELECT p.id, p.sku, p.name, p.description, p.price_amount, p.price_currency, p.category_id, p.version,
         p.created_at, p.updated_at, s.on_hand, s.reserved, s.version AS stock_version, c.slug AS c_slug, c.name AS c_name
  FROM products p LEFT JOIN stock_levels s ON s.product_id = p.id JOIN categories c ON c.id = p.category_id
  ORDER BY p.id ASC LIMIT $1`;

async function restProducts(limit: number, withCategory: boolean) {
  const { rows } = await pool.query(restSql, [limit + 1]);
  const data = rows.slice(0, limit).map((r) => ({
    id: r.id,
    sku: r.sku,
    name: r.name,
    description: r.description,
    price: { amount: r.price_amount, currency: r.price_currency },
    categoryId: r.category_id,
    ...(withCategory && { category: { id: r.category_id, slug: r.c_slug, name: r.c_name } }),
    stock: stock(r),
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
  const last = data.at(-1);
  const nextCursor =
    rows.length > limit && last ? Buffer.from(JSON.stringify({ k: [last.id], d: "n" })).toString("base64url") : null;
  return { data, page: { limit, nextCursor, prevCursor: null } };
}

const stock = (r: { on_hand: number | null; reserved: number | null; stock_version: number | null }) => ({
  onHand: r.on_hand ?? 0,
  reserved: r.reserved ?? 0,
  available: (r.on_hand ?? 0) - (r.reserved ?? 0),
  version: r.stock_version ?? 0,
});
const globalId = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString("base64");
const formatters = new Map<string, Intl.NumberFormat>();
function formatted(amount: number, currency: string) {
  let formatter = formatters.get(currency);
  if (!formatter) {
    formatter = new Intl.NumberFormat("en", { style: "currency", currency });
    formatters.set(currency, formatter);
  }
  return formatter.format(amount / 100);
}

const productsSql = `
  SELECT p.id, p.sku, p.name, p.price_amount, p.price_currency, c.id AS category_id, c.name AS category_name, c.slug,
         s.on_hand, s.reserved, s.version AS stock_version
  FROM products p JOIN categories c ON c.id = p.category_id LEFT JOIN stock_levels s ON s.product_id = p.id
  ORDER BY p.id ASC LIMIT $1`;

async function graphqlProducts(first: number) {
  const { rows } = await pool.query(productsSql, [first + 1]);
  const edges = rows.slice(0, first).map((r) => ({
    cursor: Buffer.from(JSON.stringify({ k: [r.id], d: "n" })).toString("base64url"),
    node: {
      id: globalId("Product", r.id),
      sku: r.sku,
      name: r.name,
      price: { amount: r.price_amount, currency: r.price_currency, formatted: formatted(r.price_amount, r.price_currency) },
      category: { id: globalId("Category", r.category_id), name: r.category_name, slug: r.slug },
      stock: stock(r),
    },
  }));
  return {
    data: { products: { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } } },
  };
}

const postsSql = `
  SELECT p.id, p.title, pu.username AS post_author,
         (SELECT count(*)::int FROM comments k WHERE k.post_id = p.id) AS comment_count,
         c.id AS comment_id, c.text, c.created_at, cu.username AS comment_author
  FROM (SELECT id, title, author_id FROM posts ORDER BY id DESC LIMIT $1) p
  JOIN users pu ON pu.id = p.author_id
  LEFT JOIN LATERAL (SELECT id, text, created_at, author_id FROM comments WHERE post_id = p.id ORDER BY id LIMIT $2) c ON true
  LEFT JOIN users cu ON cu.id = c.author_id
  ORDER BY p.id DESC, c.id ASC`;

type CommentEdge = { node: { id: string; text: string; createdAt: string; author: { username: string } } };
async function graphqlPosts(first: number, comments: number) {
  const { rows } = await pool.query(postsSql, [first, comments]);
  const edges: {
    node: { id: string; title: string; author: { username: string }; commentCount: number; comments: { edges: CommentEdge[] } };
  }[] = [];
  let current: (typeof edges)[number] | undefined;
  let currentId = 0;
  for (const r of rows) {
    if (!current || currentId !== r.id) {
      currentId = r.id;
      current = {
        node: {
          id: globalId("Post", r.id),
          title: r.title,
          author: { username: r.post_author },
          commentCount: r.comment_count,
          comments: { edges: [] },
        },
      };
      edges.push(current);
    }
    if (r.comment_id !== null) {
      current.node.comments.edges.push({
        node: {
          id: globalId("Comment", r.comment_id),
          text: r.text,
          createdAt: r.created_at.toISOString(),
          author: { username: r.comment_author },
        },
      });
    }
  }
  return { data: { postConnection: { edges } } };
}

async function graphqlAnswer(req: http.IncomingMessage) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const { operationName, variables } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  const first = Math.min(100, Number(variables?.first ?? 20));
  return operationName === "Posts" ? graphqlPosts(first, 10) : graphqlProducts(first);
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const answer =
      req.method === "POST" && url.pathname === "/graphql"
        ? await graphqlAnswer(req)
        : await restProducts(
            Math.min(100, Number(url.searchParams.get("limit") ?? 20)),
            url.searchParams.get("include") === "category",
          );
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(answer));
  })
  .listen(Number(port), "127.0.0.1");
