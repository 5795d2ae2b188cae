// npm run bench:startup — how long the real entry point takes to serve, and what it then holds.
// 1. Cold start (empty data folder → /readyz 200: initdb, migrate, seed) and warm start (same
//    folder again) on embedded PostgreSQL, for `npm start` in development (the sources, transpiled) and in production
//    (the build). Targets on a 2-core machine: cold < 10 s, warm < 2 s.
// 2. Idle memory of each mode on the configured database (DATABASE_URL, or embedded): after
//    start-up, one request of each kind and a forced GC, RSS split into JavaScript heap, other
//    anonymous memory and file-backed pages (target for production: RSS <= 120 MiB); then again
//    after BENCH_IDLE_SECONDS (30) at rest, once V8's memory reducer has given back the young
//    generation the requests grew (16 MiB semi-spaces, kept until the process has been idle a while).
// Prints figures; asserts nothing. Run `npm run build` first (the script does).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createPrismaClient } from "../src/db/prisma.js";
import { registerClient } from "../src/oauth/clients.js";
import { freePort, waitForStatus } from "../tests/helpers/process.js";
import { describeMemory, exerciseEveryKind, idleMemory, type StartMode, startServer } from "./footprint.js";
import { scratchDatabase } from "./lib.js";

const rounds = Number(process.argv[2] ?? 3);
const restSeconds = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
// The timed starts use embedded PostgreSQL whatever the shell says; the idle figures, the configured database.
const configuredDatabase = process.env.DATABASE_URL;
delete process.env.DATABASE_URL;
const out = (line: string) => process.stdout.write(`${line}\n`);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const seconds = (values: number[]) =>
  `median ${median(values).toFixed(2)} s  (runs: ${values.map((v) => v.toFixed(2)).join(", ")})`;

/** Seconds from spawning `npm start`'s entry point in `mode` to /readyz 200, on embedded PostgreSQL in `dataDir`. */
async function timeStart(mode: StartMode, dataDir: string): Promise<number> {
  const started = performance.now();
  // Demo data in both modes, so that a cold start does the same work (production seeds none by default).
  const server = await startServer(mode, { STOCKROOM_DATA_DIR: dataDir, SEED_DEMO_DATA: "true" });
  const elapsed = (performance.now() - started) / 1000;
  await server.stop();
  return elapsed;
}

out(`startup, ${rounds} rounds, entry point to /readyz 200 (embedded PostgreSQL)`);
for (const mode of ["development", "production"] as const) {
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "stockroom-bench-"));
    try {
      cold.push(await timeStart(mode, dataDir));
      warm.push(await timeStart(mode, dataDir));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  out(`  ${mode}`);
  out(`    cold (empty data folder): ${seconds(cold)}   target < 10 s`);
  out(`    warm (same data folder):  ${seconds(warm)}   target < 2 s`);
}

// Idle memory: one database for both modes, with the demo data and a client for the token request.
if (configuredDatabase) process.env.DATABASE_URL = configuredDatabase;
const db = await scratchDatabase("stockroom_bench_footprint");
const prisma = createPrismaClient(db.url, { poolSize: 1 });
const registered = await registerClient(prisma, {
  name: "bench footprint",
  grants: ["client_credentials"],
  scopes: ["catalog:read", "inventory:write"],
});
await prisma.$disconnect();
const client = { clientId: registered.clientId, clientSecret: registered.clientSecret as string };
out(`idle memory after one request of each kind and a forced GC (${db.description})`);
for (const mode of ["development", "production"] as const) {
  const server = await startServer(mode, { DATABASE_URL: db.url, SEED_DEMO_DATA: "true", PORT: String(await freePort()) });
  try {
    await exerciseEveryKind(server.base, client);
    await waitForStatus(`${server.base}/readyz`, 200, 10_000, server.child);
    const target = mode === "production" ? "   target RSS <= 120 MiB" : "";
    out(`  ${mode.padEnd(11)}  right after:      ${describeMemory(await idleMemory(server))}${target}`);
    await new Promise((resolve) => setTimeout(resolve, restSeconds * 1000));
    out(`  ${"".padEnd(11)}  after ${restSeconds} s at rest: ${describeMemory(await idleMemory(server))}${target}`);
  } finally {
    await server.stop();
  }
}
await db.drop();
