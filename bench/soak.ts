// npm run bench:soak — does a production instance's memory stay flat under sustained load?
// 1,000,000 requests (BENCH_SOAK_REQUESTS) at 50 connections against the build, as production
// runs it, with its response cache on: product lists over 1,000 products with a random price
// filter out of 20,000, so most reads miss the cache (which keeps 1,000 answers and evicts the
// rest), plus single products. Prints RSS (and request count) after warm-up and every tenth of the
// run, and the growth from the start. Prints figures; asserts nothing.
import { once } from "node:events";
import autocannon from "autocannon";
import { seedDemoData } from "../prisma/seed.js";
import { createPrismaClient } from "../src/db/prisma.js";
import { fmt, padProducts, rssMiB, scratchDatabase } from "./lib.js";
import { startStockroom } from "./turns.js";

const total = Number(process.env.BENCH_SOAK_REQUESTS ?? 1_000_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const out = (line: string) => process.stdout.write(`${line}\n`);

const db = await scratchDatabase("stockroom_bench_soak");
const seeding = createPrismaClient(db.url);
await seedDemoData(seeding);
await padProducts(seeding, 1000);
await seeding.$executeRawUnsafe("ANALYZE");
await seeding.$disconnect();

const { app: server, base } = await startStockroom(db.url, {});
const pid = server.pid as number;

const randomPath = () =>
  Math.random() < 0.8
    ? `/api/v2/products?limit=20&include=category&minPrice=${Math.floor(Math.random() * 20_000)}`
    : `/api/v2/products/${1 + Math.floor(Math.random() * 1000)}`;
const run = (amount: number, onResponse?: () => void) =>
  new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: base, connections, amount, requests: [{ setupRequest: (request) => ({ ...request, path: randomPath() }) }] },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
    if (onResponse) instance.on("response", onResponse);
  });

out(`soak: ${total.toLocaleString("en")} requests at ${connections} connections, production build, ${db.description}`);
await run(20_000); // warm-up: JIT, pools, the cache filled
const startRss = rssMiB(pid);
out(`  after warm-up            RSS ${fmt(startRss, 0)} MiB`);
let done = 0;
let nextReport = total / 10;
const started = performance.now();
const result = await run(total, () => {
  if (++done < nextReport) return;
  nextReport += total / 10;
  out(
    `  ${done.toLocaleString("en").padStart(9)} requests   RSS ${fmt(rssMiB(pid), 0)} MiB   (${fmt((performance.now() - started) / 1000, 0)} s)`,
  );
});
const endRss = rssMiB(pid);
out(
  `  done: ${result.requests.total.toLocaleString("en")} requests in ${fmt(result.duration, 0)} s, ${result.non2xx} non-2xx, ${result.errors} errors; RSS ${fmt(startRss, 0)} → ${fmt(endRss, 0)} MiB (${endRss >= startRss ? "+" : ""}${fmt(endRss - startRss, 0)})`,
);
server.kill("SIGTERM");
await once(server, "exit");
await db.drop();
