// npm run bench:rest — GET /api/v2/products?limit=20 at 50 connections: Stockroom (the real entry
// point, NODE_ENV=production, info logging to /dev/null) beside a bare node:http + pg baseline with
// the same SQL and JSON, in the same run, and the ratio. Then the SQL statements one list request
// issues, for several page sizes (target: constant, <= 3). Prints figures; asserts nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { PrismaPg } from "@prisma/adapter-pg";
import autocannon from "autocannon";
import pg from "pg";
import { seedDemoData } from "../prisma/seed.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { PrismaClient } from "../src/generated/prisma/client.js";
import { createCatalogQueries } from "../src/modules/catalog/queries.js";
import { freePort, waitForStatus } from "../tests/helpers/process.js";
import { fmt, scratchDatabase } from "./lib.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const out = (line: string) => process.stdout.write(`${line}\n`);

const db = await scratchDatabase("stockroom_bench_rest");
const seeding = createPrismaClient(db.url);
await seedDemoData(seeding);
await seeding.$disconnect();

async function measure(name: string, url: string) {
  const result = await autocannon({ url, connections, duration: seconds });
  const non2xx = result.non2xx + result.errors;
  out(
    `${name.padEnd(22)} ${fmt(result.requests.average, 0).padStart(6)} req/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   errors/non-2xx ${non2xx}`,
  );
  return result.requests.average;
}

function spawnServer(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", ...args], { env: { ...process.env, ...env }, stdio: "ignore" });
}

out(`REST bench: GET /api/v2/products?limit=20, ${connections} connections, ${seconds} s each`);
const appPort = await freePort();
const app = spawnServer(["src/main.ts"], {
  DATABASE_URL: db.url,
  PORT: String(appPort),
  HOST: "127.0.0.1",
  NODE_ENV: "production",
  LOG_LEVEL: "info",
});
await waitForStatus(`http://127.0.0.1:${appPort}/readyz`, 200, 60_000, app);
const path = "/api/v2/products?limit=20";
await autocannon({ url: `http://127.0.0.1:${appPort}${path}`, connections, duration: 2 }); // warm-up
const stockroom = await measure("stockroom", `http://127.0.0.1:${appPort}${path}`);
app.kill("SIGTERM");

const basePort = await freePort();
const baseline = spawnServer(["bench/baseline-server.ts", db.url, String(basePort)], {});
await waitForStatus(`http://127.0.0.1:${basePort}${path}`, 200, 30_000, baseline);
await autocannon({ url: `http://127.0.0.1:${basePort}${path}`, connections, duration: 2 });
const bare = await measure("node:http + pg", `http://127.0.0.1:${basePort}${path}`);
baseline.kill("SIGTERM");
out(`stockroom / baseline = ${fmt(stockroom / bare, 2)}   (target >= 0.8)`);

// SQL statements per list request, counted at the connection pool the Prisma adapter uses.
let statements = 0;
class CountingPool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded signature
  override query(...args: any[]): any {
    statements++;
    // biome-ignore lint/suspicious/noExplicitAny: see above
    return (super.query as any)(...args);
  }
}
const counted = new PrismaClient({
  adapter: new PrismaPg(new CountingPool({ connectionString: db.url, max: 2 }), { disposeExternalPool: true }),
});
const queries = createCatalogQueries(counted);
const counts: string[] = [];
for (const limit of [5, 20, 100]) {
  for (const includeCategory of [false, true]) {
    statements = 0;
    await queries.searchProducts({ sort: [{ field: "id", direction: "asc" }], limit, includeCategory });
    counts.push(`limit=${limit}${includeCategory ? "&include=category" : ""}: ${statements}`);
  }
}
out(`SQL statements per list request: ${counts.join(", ")}   (target: constant, <= 3)`);
await counted.$disconnect();
await db.drop();
