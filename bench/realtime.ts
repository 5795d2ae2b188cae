// npm run bench:realtime — WebSocket fan-out, Stockroom beside a bare `ws` server in the same run.
// Three processes besides this one: Stockroom (bench/realtime-server.ts: buildApp on a scratch
// database, production settings), the bare `ws` baseline (bench/realtime-bare.ts), both with
// --expose-gc, and the subscribers (bench/realtime-clients.ts), so no figure is measured by the
// process it measures. Prints figures; asserts nothing.
//   1. N sockets (10,000 / 5,000 / 1,000) on /ws/products/{id}/inventory, every `live` awaited;
//      then single stock adjustments (Stockroom) or single broadcasts of the same frame (bare),
//      one after another: per-client latency from just before the write (Stockroom) or the send
//      loop (bare) to the frame's arrival, p50/p99/max, delivered/expected, ratio bare p99 / ours.
//   2. RSS per idle socket: server RSS after a forced GC, with N sockets open minus before them
//      (the 10,000 run comes first, on fresh processes, so no earlier run's freed pages hide it).
//   3. Sustained: RATE events/s to 1,000 subscribers for SECONDS: delivered/expected, p50/p99/max,
//      Stockroom's both from just before each write and from the write's return (its commit), each
//      beside bare ws's from just before its send loop.
// Environment: BENCH_SOCKETS (e.g. "10000,5000,1000"), BENCH_ROUNDS (events per size, 5),
// BENCH_SUSTAIN_SOCKETS (1000), BENCH_RATE (100), BENCH_SECONDS (30), BENCH_CPU_PROFILE (a folder).
import { readFileSync } from "node:fs";
import { createPrismaClient } from "../src/db/prisma.js";
import { fmt, scratchDatabase } from "./lib.js";
import { forkPeer, type Peer } from "./realtime-ipc.js";

const sizes = (process.env.BENCH_SOCKETS ?? "10000,5000,1000").split(",").map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const sustainSockets = Number(process.env.BENCH_SUSTAIN_SOCKETS ?? 1000);
const rate = Number(process.env.BENCH_RATE ?? 100);
const seconds = Number(process.env.BENCH_SECONDS ?? 30);
const out = (line: string) => process.stdout.write(`${line}\n`);
const kib = (bytes: number) => `${fmt(bytes / 1024, 1)} KiB`;

type Memory = { rss: number; heapUsed: number; sockets: number };
type Stats = {
  expected: number;
  delivered: number;
  duplicates: number;
  strays: number;
  p50: number;
  p99: number;
  max: number;
  /** From the moment the write returned (Stockroom only). */
  fromCommit?: { p50: number; p99: number };
  closes: Record<string, number>;
  sample?: string;
};
type Connected = { connected: number; failed: number; firstError?: string; ms: number };

const openFiles = /Max open files\s+(\d+)/.exec(readFileSync("/proc/self/limits", "utf8"))?.[1];
const largest = Math.max(...sizes, sustainSockets);
if (Number(openFiles) < largest + 1000) {
  out(`open file limit ${openFiles} is below ${largest + 1000}: run through npm run bench:realtime (it raises it), or ulimit -n`);
  process.exit(1);
}

const db = await scratchDatabase("stockroom_bench_realtime");
const setup = createPrismaClient(db.url, { poolSize: 1 });
const category = await setup.category.create({ data: { slug: "bench", name: "Bench" } });
const product = await setup.product.create({
  data: { sku: "BENCH-1", name: "Bench", priceAmount: 100, priceCurrency: "EUR", categoryId: category.id },
});
await setup.stockLevel.create({ data: { productId: product.id, onHand: 1000 } });
await setup.$disconnect();

// BENCH_CPU_PROFILE=<dir>: both server processes write a V8 CPU profile there when they stop.
const profile = process.env.BENCH_CPU_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
const stockroom = await forkPeer<{ url: string }>("bench/realtime-server.ts", [db.url, String(product.id)], {
  nodeArgs: ["--expose-gc", ...profile],
});
const bare = await forkPeer<{ url: string }>("bench/realtime-bare.ts", [`product:${product.id}:inventory`], {
  nodeArgs: ["--expose-gc", ...profile],
});
const clients = await forkPeer<Record<string, never>>("bench/realtime-clients.ts", []);
const peers = [stockroom.peer, bare.peer, clients.peer];

out(
  `realtime bench: servers and subscribers in separate processes; ${db.description}; open file limit ${openFiles}; ${rounds} events per size after one warm-up`,
);

/** Waits until the clients hold `count` arrivals, or `timeoutMs` passes. */
async function waitForDelivery(count: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { delivered } = await clients.peer.call<{ delivered: number }>("progress");
    if (delivered >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Target = {
  name: string;
  peer: Peer;
  url: string;
  /** The stock version the next event will carry. */
  nextVersion(): Promise<number>;
  /** Sends one event; its t0 and, for a write, when the write returned. */
  trigger(version: number): Promise<{ t0: number; written?: number }>;
};

let barePayload: string | undefined;
let bareVersion = 1_000_000;
const withVersion = (frame: string, version: number) => frame.replace(/"version":\d+/, `"version":${version}`);

const targets: Target[] = [
  {
    name: "stockroom",
    peer: stockroom.peer,
    url: stockroom.ready.url,
    nextVersion: async () => (await stockroom.peer.call<number>("version")) + 1,
    trigger: () => stockroom.peer.call<{ t0: number; written: number }>("adjust"),
  },
  {
    name: "bare ws",
    peer: bare.peer,
    url: bare.ready.url,
    nextVersion: async () => bareVersion,
    trigger: async (version) => {
      bareVersion = version + 1;
      return bare.peer.call<{ t0: number }>("broadcast", { frame: withVersion(barePayload as string, version) });
    },
  },
];

/** `events` events, one after another (each delivered or timed out before the next), as one set of figures. */
async function measureEvents(target: Target, sockets: number, events: number): Promise<Stats> {
  const first = await target.nextVersion();
  await clients.peer.call("arm", { first, count: events });
  const t0s: number[] = [];
  const commits: number[] = [];
  for (let k = 0; k < events; k++) {
    const { t0, written } = await target.trigger(first + k);
    t0s.push(t0);
    if (written !== undefined) commits.push(written);
    await waitForDelivery((k + 1) * sockets, 10_000);
  }
  return clients.peer.call<Stats>("report", { t0s, commits: commits.length ? commits : undefined });
}

const line = (name: string, stats: Stats, extra = "") =>
  out(
    `  ${name.padEnd(10)} p50 ${fmt(stats.p50).padStart(6)} ms  p99 ${fmt(stats.p99).padStart(6)} ms  max ${fmt(stats.max).padStart(6)} ms  delivered ${stats.delivered}/${stats.expected}${stats.fromCommit ? ` (from the write's return: p50 ${fmt(stats.fromCommit.p50)}, p99 ${fmt(stats.fromCommit.p99)})` : ""}${stats.duplicates ? `  DUPLICATES ${stats.duplicates}` : ""}${Object.keys(stats.closes).length ? `  closed: ${JSON.stringify(stats.closes)}` : ""}${extra}`,
  );

let firstRun = true;
for (const sockets of sizes) {
  out(`${sockets.toLocaleString("en")} sockets on product:${product.id}:inventory, one event at a time:`);
  const p99s = new Map<string, number>();
  for (const target of targets) {
    const before = await target.peer.call<Memory>("memory");
    const connected = await clients.peer.call<Connected>("connect", { url: target.url, count: sockets });
    if (connected.failed > 0) out(`  ${target.name}: ${connected.failed} sockets failed to connect (${connected.firstError})`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const after = await target.peer.call<Memory>("memory");
    const warmUp = await measureEvents(target, connected.connected, 1);
    barePayload ??= warmUp.sample;
    const stats = await measureEvents(target, connected.connected, rounds);
    p99s.set(target.name, stats.p99);
    const perSocket = (after.rss - before.rss) / connected.connected;
    const heapPerSocket = (after.heapUsed - before.heapUsed) / connected.connected;
    line(
      target.name,
      stats,
      `  connect+live ${fmt(connected.ms / 1000, 1)} s  heap/socket ${kib(heapPerSocket)}${firstRun ? `  RSS/idle socket ${kib(perSocket)}` : ""}`,
    );
    await clients.peer.call("closeAll");
  }
  firstRun = false;
  const ours = p99s.get("stockroom") as number;
  const theirs = p99s.get("bare ws") as number;
  out(
    `  bare ws p99 / stockroom p99 = ${fmt(theirs / ours, 2)}  (target >= 0.5; ${sockets <= 1000 ? "p99 target <= 50 ms" : sockets <= 5000 ? "p99 target < 100 ms" : "no p99 target at this size"})`,
  );
}
out(
  "  (RSS per idle socket measured on the first size, on fresh server processes; target <= 10 KiB; heap/socket: V8 heap delta after GC)",
);

out(
  `sustained: ${rate} events/s to ${sustainSockets.toLocaleString("en")} sockets for ${seconds} s; latency from just before each write (stockroom) or send loop (bare ws), and for stockroom also from the write's return:`,
);
const sustained = new Map<string, Stats>();
for (const target of targets) {
  const connected = await clients.peer.call<Connected>("connect", { url: target.url, count: sustainSockets });
  const first = await target.nextVersion();
  const count = Math.round(rate * seconds);
  await clients.peer.call("arm", { first, count });
  let t0s: number[];
  let commits: number[] | undefined;
  let expected: number | undefined;
  let writeNote = "";
  if (target.name === "stockroom") {
    const { writes, refused } = await stockroom.peer.call<{
      writes: { t0: number; written: number; version: number }[];
      refused: string[];
    }>("sustain", { rate, seconds });
    expected = writes.length * connected.connected;
    t0s = new Array(count).fill(Number.NaN);
    commits = new Array(count).fill(Number.NaN);
    for (const w of writes) {
      t0s[w.version - first] = w.t0;
      commits[w.version - first] = w.written;
    }
    const durations = writes.map((w) => w.written - w.t0).sort((a, b) => a - b);
    writeNote = `  writes: ${writes.length}/${count} committed, p50 ${fmt(durations[Math.floor(durations.length * 0.5)] ?? Number.NaN)} ms, p99 ${fmt(durations[Math.floor(durations.length * 0.99)] ?? Number.NaN)} ms${refused.length ? `; ${refused.length} refused (${[...new Set(refused)].join(", ")}: the command runner's overload bound, 503 over REST)` : ""}`;
  } else {
    t0s = (
      await bare.peer.call<{ t0s: number[] }>("sustain", {
        template: barePayload,
        firstVersion: first,
        rate,
        seconds,
      })
    ).t0s;
    bareVersion = first + count;
  }
  // Long enough for a server that fell behind to catch up: the latency says how far behind it was.
  await waitForDelivery(expected ?? count * connected.connected, 60_000);
  const stats = await clients.peer.call<Stats>("report", { t0s, commits });
  // Only committed writes owe frames.
  if (expected !== undefined) stats.expected = expected;
  sustained.set(target.name, stats);
  line(target.name, stats, writeNote);
  await clients.peer.call("closeAll");
}
{
  const ours = sustained.get("stockroom") as Stats;
  const theirs = (sustained.get("bare ws") as Stats).p99;
  // Bare ws sends without writing anything: from just before the write, ours also covers the
  // write itself (its transaction and commit); from the write's return, only what follows the commit.
  out(
    `  bare ws p99 / stockroom p99 from just before the write = ${fmt(theirs / ours.p99, 2)}; from the write's return (commit) = ${fmt(theirs / (ours.fromCommit?.p99 ?? Number.NaN), 2)}  (target >= 0.5)`,
  );
}

for (const peer of peers) await peer.stop();
await db.drop();
