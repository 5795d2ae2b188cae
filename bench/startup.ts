// npm run bench:startup — cold start (empty data folder → /readyz 200: initdb, migrate, seed)
// and warm start (same folder again) of the real entry point on embedded PostgreSQL.
// Targets on a 2-core machine: cold < 10 s, warm < 2 s. Prints figures; asserts nothing.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort, startEntryPoint, waitForStatus } from "../tests/helpers/process.js";

const rounds = Number(process.argv[2] ?? 3);

async function timeStart(env: Record<string, string>): Promise<number> {
  const started = performance.now();
  const server = startEntryPoint({ ...env, LOG_LEVEL: "warn" });
  await waitForStatus(`http://127.0.0.1:${env.PORT}/readyz`, 200, 120_000, server.child);
  const seconds = (performance.now() - started) / 1000;
  await server.stop("SIGTERM");
  return seconds;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const cold: number[] = [];
const warm: number[] = [];
for (let i = 0; i < rounds; i++) {
  const dataDir = await mkdtemp(path.join(tmpdir(), "stockroom-bench-"));
  const env = { STOCKROOM_DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: String(await freePort()) };
  try {
    cold.push(await timeStart(env));
    warm.push(await timeStart(env));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
const fmt = (values: number[]) => `median ${median(values).toFixed(2)} s  (runs: ${values.map((v) => v.toFixed(2)).join(", ")})`;
process.stdout.write(`startup, ${rounds} rounds, entry point to /readyz 200\n`);
process.stdout.write(`  cold (empty data folder): ${fmt(cold)}   target < 10 s\n`);
process.stdout.write(`  warm (same data folder):  ${fmt(warm)}   target < 2 s\n`);
