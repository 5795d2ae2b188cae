// What the HTTP benches share: servers started as production runs them, measured in turns under
// autocannon, with the server CPU each request cost (from /proc).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import { freePort, waitForStatus } from "../tests/helpers/process.js";
import { summarizeCpuProfile } from "./cpu-profile.js";
import { fmt, rssMiB } from "./lib.js";

/** One load to measure: a server's process and the request autocannon repeats against it. */
export type Target = {
  name: string;
  pid: number;
  url: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
};
export type Totals = {
  requests: number;
  seconds: number;
  cpuMicros: number;
  /** Server CPU per request of each round, in µs: a trend would mean the warm-up was too short. */
  roundCpu: number[];
  latencies: { p50: number; p99: number }[];
  failed: number;
  rssAtStart: number;
};
export type Load = { connections: number; seconds: number; rounds: number };

/**
 * Load each server gets before it is measured. V8 compiles a large server's hot paths over its
 * first thousands of requests (Express, Prisma, the app) while sharing two cores with the load:
 * on the development machine the cache-off server cost 1,300-1,600 µs per request in its first
 * 5 s after 2 s of warm-up, and 640-710 µs from about 20 s on; the bare baseline was steady
 * within 2 s. A production instance spends its life past that point, so the figures are of it.
 */
const warmUpSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 15);

/** How `load` is applied, for a bench's first line. */
export const describeLoad = ({ connections, seconds, rounds }: Load): string =>
  `${connections} connections, ${rounds} rounds of ${seconds} s per server, taking turns, after ${warmUpSeconds} s of warm-up each`;

// Server CPU (user + system) per request, from the kernel's account of the process: the figure
// that decides throughput on a small machine, where the load generator and PostgreSQL share the cores.
function cpuMicros(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / 100; // utime + stime, in 10 ms clock ticks
}

const hit = (target: Target, connections: number, duration: number) =>
  autocannon({
    url: target.url,
    connections,
    duration,
    ...(target.method ? { method: target.method } : {}),
    ...(target.body ? { body: target.body } : {}),
    ...(target.headers ? { headers: target.headers } : {}),
  });

/**
 * Each target warmed up, then measured round after round, taking turns, so a machine that speeds
 * up or slows down during the run (these are shared virtual machines) weighs on each of them alike.
 * `warmedUp` is the performance.now() time the measured rounds began.
 */
export async function measureInTurns(targets: Target[], load: Load): Promise<{ totals: Map<Target, Totals>; warmedUp: number }> {
  const totals = new Map(
    targets.map((t) => [
      t,
      { requests: 0, seconds: 0, cpuMicros: 0, roundCpu: [], latencies: [], failed: 0, rssAtStart: 0 } as Totals,
    ]),
  );
  for (const target of targets) await hit(target, load.connections, warmUpSeconds);
  for (const target of targets) (totals.get(target) as Totals).rssAtStart = rssMiB(target.pid);
  const warmedUp = performance.now();
  for (let round = 0; round < load.rounds; round++) {
    for (const target of targets) {
      const cpuBefore = cpuMicros(target.pid);
      const result = await hit(target, load.connections, load.seconds);
      const total = totals.get(target) as Totals;
      const cpu = cpuMicros(target.pid) - cpuBefore;
      total.cpuMicros += cpu;
      total.roundCpu.push(cpu / Math.max(1, result.requests.total));
      total.requests += result.requests.total;
      total.seconds += result.duration;
      total.latencies.push({ p50: result.latency.p50, p99: result.latency.p99 });
      total.failed += result.non2xx + result.errors;
    }
  }
  return { totals, warmedUp };
}

/** One line of figures for a measured target; returns its req/s and CPU µs per request. */
export function report(target: Target, total: Totals, out: (line: string) => void, extra = ""): { rate: number; cpu: number } {
  const rate = total.requests / total.seconds;
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  out(
    `${target.name.padEnd(34)} ${fmt(rate, 0).padStart(6)} req/s   p50 ${median(total.latencies.map((l) => l.p50))} ms   p99 ${median(total.latencies.map((l) => l.p99))} ms   server CPU ${fmt(total.cpuMicros / total.requests, 0)} µs/req (rounds: ${total.roundCpu.map((c) => fmt(c, 0)).join(", ")})   errors/non-2xx ${total.failed}   RSS ${fmt(total.rssAtStart, 0)} → ${fmt(rssMiB(target.pid), 0)} MiB${extra}`,
  );
  return { rate, cpu: total.cpuMicros / total.requests };
}

/** A child process with `env` added to ours, its output discarded. */
export function spawnServer(command: string, args: string[], env: Record<string, string>): ChildProcess {
  return spawn(command, args, { env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

/** The real entry point as production runs it (scripts/start.sh execs node: the pid is the server's). */
export async function startStockroom(databaseUrl: string, env: Record<string, string>, nodeArgs: string[] = []) {
  const port = await freePort();
  const spawnedAt = performance.now();
  const app = spawnServer("sh", ["scripts/start.sh", ...nodeArgs], {
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    HOST: "127.0.0.1",
    NODE_ENV: "production",
    LOG_LEVEL: "info",
    ...env,
  });
  await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200, 60_000, app);
  return { app, spawnedAt, base: `http://127.0.0.1:${port}` };
}

/** bench/baseline-server.ts over `databaseUrl`, ready once `probePath` answers 200. */
export async function startBaseline(databaseUrl: string, probePath: string) {
  const port = await freePort();
  const app = spawnServer(process.execPath, ["--import", "tsx", "bench/baseline-server.ts", databaseUrl, String(port)], {});
  const base = `http://127.0.0.1:${port}`;
  await waitForStatus(`${base}${probePath}`, 200, 30_000, app);
  return { app, base };
}

/**
 * Stops the servers (SIGTERM, then waits for each to exit), and with `profile` prints where the
 * profiled one's CPU went from the end of its warm-up on: the measured rounds.
 */
export async function stopServers(
  children: ChildProcess[],
  out: (line: string) => void,
  profile?: { dir: string | undefined; spawnedAt: number; warmedUp: number; server?: string },
): Promise<void> {
  for (const child of children) child.kill("SIGTERM");
  await Promise.all(children.map((child) => once(child, "exit")));
  if (!profile?.dir) return;
  out(`where the ${profile.server ?? "cache-off"} server's CPU went (${profile.dir}):`);
  out(summarizeCpuProfile(profile.dir, { skipSeconds: (profile.warmedUp - profile.spawnedAt) / 1000 }));
}
