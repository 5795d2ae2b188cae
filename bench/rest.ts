// npm run bench:rest — GET /api/v2/products?limit=20&include=category at 50 connections, over the
// demo data padded to 1,000 products (BENCH_PRODUCTS): Stockroom (as production
// runs it: the build through scripts/start.sh, NODE_ENV=production, info logging to /dev/null), as
// configured by default and with its response cache off, beside a bare node:http + pg baseline
// with the same SQL and JSON, in the same run, and the ratios; each server's RSS before and after.
// Then the SQL statements one list request issues, for several page sizes (target: constant, <= 3).
// BENCH_CPU_PROFILE=<dir>: the cache-off server runs under --cpu-prof, and where its CPU went is
// printed (bench/cpu-profile.ts). Prints figures; asserts nothing.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { PrismaPg } from "@prisma/adapter-pg";
import autocannon from "autocannon";
import pg from "pg";
import { seedDemoData } from "../prisma/seed.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { PrismaClient } from "../src/generated/prisma/client.js";
import { createCatalogQueries } from "../src/modules/catalog/queries.js";
import { freePort, waitForStatus } from "../tests/helpers/process.js";
import { summarizeCpuProfile } from "./cpu-profile.js";
import { fmt, padProducts, rssMiB, scratchDatabase } from "./lib.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
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

// Server CPU (user + system) per request, from the kernel's account of the process: the figure
// that decides throughput on a small machine, where the load generator and PostgreSQL share the cores.
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in 10 ms clock ticks
}

type Target = { name: string; url: string; pid: number };
type Totals = { requests: number; seconds: number; cpuMicros: number; latencies: { p50: number; p99: number }[]; failed: number };

// The servers take turns, round after round, so a machine that speeds up or slows down during
// the run (these are shared virtual machines) weighs on each of them alike.
const rssAtStart = new Map<Target, number>();
let warmedUp = 0;
async function measureInTurns(targets: Target[]): Promise<Map<Target, Totals>> {
  const totals = new Map(targets.map((t) => [t, { requests: 0, seconds: 0, cpuMicros: 0, latencies: [], failed: 0 } as Totals]));
  for (const target of targets) await autocannon({ url: target.url, connections, duration: 2 }); // warm-up
  for (const target of targets) rssAtStart.set(target, rssMiB(target.pid));
  warmedUp = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      const cpuBefore = cpuMicros(target.pid);
      const result = await autocannon({ url: target.url, connections, duration: seconds });
      const total = totals.get(target) as Totals;
      total.cpuMicros += cpuMicros(target.pid) - cpuBefore;
      total.requests += result.requests.total;
      total.seconds += result.duration;
      total.latencies.push({ p50: result.latency.p50, p99: result.latency.p99 });
      total.failed += result.non2xx + result.errors;
    }
  }
  return totals;
}

function report(target: Target, total: Totals): { rate: number; cpu: number } {
  const rate = total.requests / total.seconds;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  out(
    `${target.name.padEnd(30)} ${fmt(rate, 0).padStart(6)} req/s   p50 ${median(total.latencies.map((l) => l.p50))} ms   p99 ${median(total.latencies.map((l) => l.p99))} ms   server CPU ${fmt(total.cpuMicros / total.requests, 0)} µs/req   errors/non-2xx ${total.failed}   RSS ${fmt(rssAtStart.get(target) ?? 0, 0)} → ${fmt(rssMiB(target.pid), 0)} MiB`,
  );
  return { rate, cpu: total.cpuMicros / total.requests };
}

function spawnServer(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: "ignore" });
}

const path = "/api/v2/products?limit=20&include=category";

/** The real entry point as production runs it (scripts/start.sh execs node: the pid is the server's). */
async function startStockroom(env: Record<string, string>, nodeArgs: string[] = []) {
  const port = await freePort();
  const spawnedAt = performance.now();
  const app = spawnServer("sh", ["scripts/start.sh", ...nodeArgs], {
    DATABASE_URL: db.url,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    ...env,
  });
  await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 60_000, app);
  return { app, spawnedAt, url: `http://127.0.0.1:${port}${path}` };
}

out(
  `REST bench: GET ${path}, ${productCount} products, ${connections} connections, ${rounds} rounds of ${seconds} s per server, taking turns; ${db.description}`,
);
const cached = await startStockroom({});
const uncached = await startStockroom(
  { RESPONSE_CACHE_ENTRIES: "0" },
  profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [],
);
const basePort = await freePort();
const baseline = spawnServer(process.execPath, ["--import", "tsx", "bench/baseline-server.ts", db.url, String(basePort)], {});
await waitForStatus(`http://127.0.0.1:${basePort}${path}`, 200, 30_000, baseline);

const targets: Target[] = [
  { name: "stockroom", url: cached.url, pid: cached.app.pid as number },
  { name: "stockroom, response cache off", url: uncached.url, pid: uncached.app.pid as number },
  { name: "node:http + pg (baseline)", url: `http://127.0.0.1:${basePort}${path}`, pid: baseline.pid as number },
];
const totals = await measureInTurns(targets);
const [withCache, withoutCache, bare] = targets.map((target) => report(target, totals.get(target) as Totals)) as {
  rate: number;
  cpu: number;
}[] as [{ rate: number; cpu: number }, { rate: number; cpu: number }, { rate: number; cpu: number }];
out(`stockroom / baseline = ${fmt(withCache.rate / bare.rate, 2)}   (target >= 0.8)`);
out(
  `stockroom with the response cache off / baseline = ${fmt(withoutCache.rate / bare.rate, 2)} in req/s, ${fmt(bare.cpu / withoutCache.cpu, 2)} in CPU per request   (each request runs the list's SQL; target >= 0.5)`,
);
for (const child of [cached.app, uncached.app, baseline]) child.kill("SIGTERM");
await Promise.all([once(cached.app, "exit"), once(uncached.app, "exit"), once(baseline, "exit")]);
if (profileDir) {
  // From the end of its warm-up on: the measured rounds (idle while the others take their turns).
  out(`where the cache-off server's CPU went (${profileDir}):`);
  out(summarizeCpuProfile(profileDir, { skipSeconds: (warmedUp - uncached.spawnedAt) / 1000 }));
}

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
