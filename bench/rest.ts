// npm run bench:rest — GET /api/v2/products?limit=20&include=category at 50 connections, over the
// demo data padded to 1,000 products (BENCH_PRODUCTS): Stockroom (as production
// runs it: the build through scripts/start.sh, NODE_ENV=production, info logging to /dev/null), as
// configured by default and with its response cache off, beside a bare node:http + pg baseline
// with the same SQL and JSON, in the same run, and the ratios; each server's RSS before and after.
// Then the SQL statements one list request issues, for several page sizes (target: constant, <= 3).
// BENCH_CPU_PROFILE=<dir>: the cache-off server runs under --cpu-prof, and where its CPU went is
// printed (bench/cpu-profile.ts). Prints figures; asserts nothing.
import { seedDemoData } from "../prisma/seed.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { createCatalogQueries } from "../src/modules/catalog/queries.js";
import { countingPrisma } from "../tests/helpers/counting-prisma.js";
import { fmt, padProducts, scratchDatabase } from "./lib.js";
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

const db = await scratchDatabase("stockroom_bench_rest");
const seeding = createPrismaClient(db.url);
await seedDemoData(seeding);
const productCount = Number(process.env.BENCH_PRODUCTS ?? 1000);
await padProducts(seeding, productCount);
// Planner statistics, as autovacuum would have gathered them on a database in use.
await seeding.$executeRawUnsafe("ANALYZE");
await seeding.$disconnect();

const path = "/api/v2/products?limit=20&include=category";

out(`REST bench: GET ${path}, ${productCount} products, ${describeLoad(load)}; ${db.description}`);
const cached = await startStockroom(db.url, {});
const uncached = await startStockroom(
  db.url,
  { RESPONSE_CACHE_ENTRIES: "0" },
  profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
);
const baseline = await startBaseline(db.url, path);

const targets: Target[] = [
  { name: "stockroom", url: `${cached.base}${path}`, pid: cached.app.pid as number },
  { name: "stockroom, response cache off", url: `${uncached.base}${path}`, pid: uncached.app.pid as number },
  { name: "node:http + pg (baseline)", url: `${baseline.base}${path}`, pid: baseline.app.pid as number },
];
const { totals, warmedUp } = await measureInTurns(targets, load);
const [withCache, withoutCache, bare] = targets.map((target) => report(target, totals.get(target) as Totals, out)) as [
  { rate: number; cpu: number },
  { rate: number; cpu: number },
  { rate: number; cpu: number },
];
out(`stockroom / baseline = ${fmt(withCache.rate / bare.rate, 2)}   (target >= 0.8)`);
out(
  `stockroom with the response cache off / baseline = ${fmt(withoutCache.rate / bare.rate, 2)} in req/s, ${fmt(bare.cpu / withoutCache.cpu, 2)} in CPU per request   (each request runs the list's SQL; target >= 0.5)`,
);
await stopServers([cached.app, uncached.app, baseline.app], out, { dir: profileDir, spawnedAt: uncached.spawnedAt, warmedUp });

// SQL statements per list request, counted at the connection pool the Prisma adapter uses.
const { prisma: counted, count } = countingPrisma(db.url);
const queries = createCatalogQueries(counted);
const counts: string[] = [];
for (const limit of [5, 20, 100]) {
  for (const includeCategory of [false, true]) {
    const statements = await count(() =>
      queries.searchProducts({ sort: [{ field: "id", direction: "asc" }], limit, includeCategory }),
    );
    counts.push(`limit=${limit}${includeCategory ? "&include=category" : ""}: ${statements}`);
  }
}
out(`SQL statements per list request: ${counts.join(", ")}   (target: constant, <= 3)`);
await counted.$disconnect();
await db.drop();
