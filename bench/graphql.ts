// npm run bench:graphql — POST /graphql at 50 connections: the 20-product query (with category and
// stock) and the nested 20 posts × 10 comments × author query, on Stockroom as production runs it
// (the build through scripts/start.sh), with its response caches off and as configured by default,
// beside a bare node:http + pg server answering the same JSON with one SQL statement per request
// (bench/baseline-server.ts), and REST's GET /api/v2/products?limit=20&include=category on the
// same Stockroom servers; all in one run, taking turns. Then the SQL statements per operation.
// BENCH_CPU_PROFILE=<dir>: the cache-off server runs under --cpu-prof and where its CPU went is
// printed (bench/cpu-profile.ts); with BENCH_CPU_PROFILE_SERVER=default, the default-config one
// instead (its cached path). Prints figures; asserts nothing.
import { isDeepStrictEqual } from "node:util";
import { loadConfig } from "../src/config.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { createContext } from "../src/graphql/context.js";
import { createGraphqlEndpoint } from "../src/graphql/server.js";
import { createLogger } from "../src/logger.js";
import { createModules } from "../src/modules/index.js";
import { countingPrisma } from "../tests/helpers/counting-prisma.js";
import { postsQuery, productsQuery } from "../tests/helpers/graphql-operations.js";
import { seedGraphqlBenchData } from "./graphql-data.js";
import { fmt, scratchDatabase } from "./lib.js";
import {
  describeLoad,
  measureInTurns,
  report,
  startBaseline,
  startStockroom,
  stopServers,
  type Target,
  type Totals,
} from "./turns.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const load = { connections, seconds, rounds };
const profileDir = process.env.BENCH_CPU_PROFILE;
const out = (line: string) => process.stdout.write(`${line}\n`);

const operations = {
  products: { query: productsQuery, operationName: "Products", variables: { first: 20 } },
  posts: { query: postsQuery, operationName: "Posts", variables: { first: 20 } },
};
const restPath = "/api/v2/products?limit=20&include=category";

const db = await scratchDatabase("stockroom_bench_graphql");
const seeding = createPrismaClient(db.url);
await seedGraphqlBenchData(seeding);
// Planner statistics, as autovacuum would have gathered them on a database in use.
await seeding.$executeRawUnsafe("ANALYZE");
await seeding.$disconnect();

out(`GraphQL bench: POST /graphql, ${describeLoad(load)}; ${db.description}`);
const profiled = process.env.BENCH_CPU_PROFILE_SERVER === "default" ? "default" : "caches off";
const profiling = (server: typeof profiled) =>
  profileDir && server === profiled ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
const uncached = await startStockroom(db.url, { RESPONSE_CACHE_ENTRIES: "0" }, profiling("caches off"));
const cached = await startStockroom(db.url, {}, profiling("default"));
const baseline = await startBaseline(db.url, "/api/v2/products?limit=1");

const post = (name: string, base: string, pid: number, operation: object): Target => ({
  name,
  pid,
  url: `${base}/graphql`,
  method: "POST",
  body: JSON.stringify(operation),
  headers: { "content-type": "application/json" },
});
const pidOf = (server: { app: { pid?: number } }) => server.app.pid as number;

// Stockroom's answers must be the baseline's (cursors aside: Stockroom's are signed).
const withoutCursors = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value, (key, v) => (key === "cursor" || key === "endCursor" ? undefined : v)));
for (const [name, operation] of Object.entries(operations)) {
  const answers = await Promise.all(
    [uncached.base, baseline.base].map((base) =>
      fetch(`${base}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(operation),
      }).then((res) => res.json()),
    ),
  );
  const same = isDeepStrictEqual(withoutCursors(answers[0]), withoutCursors(answers[1]));
  out(`${name}: the baseline answers the same JSON as Stockroom (cursors aside): ${same ? "yes" : "NO"}`);
  if (!same)
    out(`  stockroom: ${JSON.stringify(answers[0]).slice(0, 400)}\n  baseline:  ${JSON.stringify(answers[1]).slice(0, 400)}`);
}

const targets = {
  products: post("graphql products, caches off", uncached.base, pidOf(uncached), operations.products),
  posts: post("graphql posts×comments, caches off", uncached.base, pidOf(uncached), operations.posts),
  rest: { name: "REST list, caches off", url: `${uncached.base}${restPath}`, pid: pidOf(uncached) } as Target,
  productsCached: post("graphql products, default config", cached.base, pidOf(cached), operations.products),
  postsCached: post("graphql posts×comments, default", cached.base, pidOf(cached), operations.posts),
  restCached: { name: "REST list, default config", url: `${cached.base}${restPath}`, pid: pidOf(cached) } as Target,
  baseProducts: post("baseline products", baseline.base, pidOf(baseline), operations.products),
  basePosts: post("baseline posts×comments", baseline.base, pidOf(baseline), operations.posts),
};
// BENCH_ONLY=products,posts measures only those targets (e.g. to profile one query).
const only = process.env.BENCH_ONLY?.split(",");
const chosen = Object.entries(targets).filter(([key]) => !only || only.includes(key));
const { totals, warmedUp } = await measureInTurns(
  chosen.map(([, target]) => target),
  load,
);
const figures = Object.fromEntries(
  chosen.map(([key, target]) => [key, report(target, totals.get(target) as Totals, out)]),
) as Partial<Record<keyof typeof targets, { rate: number; cpu: number }>>;
const ratio = (a: keyof typeof targets, b: keyof typeof targets) => {
  const [x, y] = [figures[a], figures[b]];
  return x && y ? `${fmt(x.rate / y.rate, 2)} in req/s, ${fmt(y.cpu / x.cpu, 2)} in CPU per request` : "not measured";
};
out(`graphql products / baseline (caches off) = ${ratio("products", "baseProducts")}   (target >= 0.5)`);
out(`graphql posts×comments / baseline (caches off) = ${ratio("posts", "basePosts")}   (target >= 0.5)`);
out(`graphql products / REST list (caches off) = ${ratio("products", "rest")}   (target >= 0.8)`);
out(`graphql products / baseline (default config) = ${ratio("productsCached", "baseProducts")}`);
out(`graphql posts×comments / baseline (default config) = ${ratio("postsCached", "basePosts")}`);
out(`graphql products / REST list (default config) = ${ratio("productsCached", "restCached")}`);
await stopServers([uncached.app, cached.app, baseline.app], out, {
  dir: profileDir,
  spawnedAt: (profiled === "default" ? cached : uncached).spawnedAt,
  warmedUp,
  server: profiled,
});

// SQL statements per operation, counted at the pool of the Prisma client the schema's core runs over.
const { prisma: counted, count } = countingPrisma(db.url);
const config = loadConfig({ ...process.env, DATABASE_URL: db.url, NODE_ENV: "production", LOG_LEVEL: "warn" });
const modules = createModules(counted);
const endpoint = await createGraphqlEndpoint({
  modules,
  verifyAccessToken: () => Promise.reject(new Error("the bench sends no tokens")),
  config,
  logger: createLogger({ logLevel: "warn" }, { stream: "stderr" }),
});
async function run(operation: { query: string; variables: Record<string, unknown> }) {
  const response = await endpoint.server.executeOperation(operation, {
    contextValue: createContext(modules, undefined, config.graphqlTimeoutMs),
  });
  const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
  if (errors?.length) throw new Error(`the counted operation failed: ${JSON.stringify(errors)}`);
}
await run({ query: productsQuery, variables: { first: 1 } }); // the cursor key is read once per process
const counts: string[] = [];
for (const [name, query, sizes] of [
  ["products", productsQuery, [5, 20, 100]],
  ["posts×comments", postsQuery, [5, 20]],
] as const) {
  for (const first of sizes) counts.push(`${name} first=${first}: ${await count(() => run({ query, variables: { first } }))}`);
}
out(`SQL statements per operation: ${counts.join(", ")}; baseline: 1   (target: constant, <= 3)`);
await endpoint.stop();
await counted.$disconnect();
await db.drop();
