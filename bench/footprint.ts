// What a Stockroom process holds in memory at rest: started as development or production starts
// it, given one request of each kind, collected (a forced GC), then read from the kernel
// (/proc/<pid>/status) and from V8 (process.memoryUsage(), through bench/force-gc.mjs).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { productsQuery } from "../tests/helpers/graphql-operations.js";
import { freePort, waitForStatus } from "../tests/helpers/process.js";
import { openSocket, wsUrl } from "../tests/helpers/socket.js";

const mib = (bytes: number) => bytes / 1024 / 1024;

/** How the process was started: `npm start` in development (the sources, transpiled by scripts/dev-build.mjs) or in production (the build). */
export type StartMode = "development" | "production";

/** What `npm start` runs (scripts/start.sh, which picks the build or the transpiled sources by NODE_ENV), with the GC hook as node options. */
const entryPoint = ["scripts/start.sh", "--expose-gc", "--import", "./bench/force-gc.mjs"];

export type RunningServer = { child: ChildProcess; base: string; memoryFile: string; stop(): Promise<void> };

/** Starts the entry point in `mode` with `env` (and node options `nodeArgs`) and waits for /readyz. */
export async function startServer(mode: StartMode, env: Record<string, string>, nodeArgs: string[] = []): Promise<RunningServer> {
  const port = env.PORT ?? String(await freePort());
  const memoryFile = path.join(tmpdir(), `stockroom-memory-${process.pid}-${port}.json`);
  // sh execs node, so the child's pid is the server's.
  const child = spawn("sh", [...entryPoint, ...nodeArgs], {
    env: {
      ...process.env,
      NODE_ENV: mode,
      HOST: "127.0.0.1",
      PORT: port,
      LOG_LEVEL: "warn",
      STOCKROOM_BENCH_MEMORY_FILE: memoryFile,
      ...env,
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForStatus(`${base}/readyz`, 200, 120_000, child);
  return {
    child,
    base,
    memoryFile,
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      rmSync(memoryFile, { force: true });
    },
  };
}

/** A confidential client allowed the client-credentials grant, for the authenticated requests. */
export type MachineClient = { clientId: string; clientSecret: string };

async function expectOk(label: string, response: Promise<Response>): Promise<Response> {
  const res = await response;
  if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
  return res;
}

/**
 * One request of each kind a production instance serves: health, public REST reads (v1, v2,
 * negotiated, a 304), a GraphQL query, a WebSocket subscription until it is live, OAuth discovery
 * and a token, an authenticated read and write, the OpenAPI document. The documentation pages
 * (Swagger UI, Redoc) are `withDocs`: they are a browser's first visit, not traffic, and load
 * their packages on demand.
 */
export async function exerciseEveryKind(base: string, client: MachineClient | undefined, options: { withDocs?: boolean } = {}) {
  await expectOk("healthz", fetch(`${base}/healthz`));
  await expectOk("readyz", fetch(`${base}/readyz`));
  const list = await expectOk("v2 list", fetch(`${base}/api/v2/products?limit=20&include=category`));
  const etag = list.headers.get("etag") ?? "";
  const notModified = await fetch(`${base}/api/v2/products?limit=20&include=category`, { headers: { "if-none-match": etag } });
  if (notModified.status !== 304) throw new Error(`conditional read: ${notModified.status}`);
  await expectOk("v2 item", fetch(`${base}/api/v2/products/1`));
  await expectOk("v1 list", fetch(`${base}/api/v1/products?page_size=5`));
  await expectOk("negotiated", fetch(`${base}/api/posts`, { headers: { accept: "application/vnd.stockroom.v2+json" } }));
  await expectOk("openapi", fetch(`${base}/api/v2/openapi.json`));
  await expectOk("discovery", fetch(`${base}/oauth/.well-known/openid-configuration`));
  await expectOk("home", fetch(`${base}/`));
  const graphql = await expectOkJson(
    "graphql",
    fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: productsQuery, variables: { first: 20 } }),
    }),
  );
  if (graphql.errors) throw new Error(`graphql: ${JSON.stringify(graphql.errors)}`);
  const socket = await openSocket(wsUrl(base, "/ws/products/1/inventory"));
  await socket.next((frame) => frame.type === "live");
  socket.close();
  await socket.closed;
  const missing = await fetch(`${base}/api/v2/products/999999`);
  if (missing.status !== 404) throw new Error(`missing product: ${missing.status}`);
  await missing.arrayBuffer();
  if (client) {
    const token = (await (
      await expectOkJson(
        "token",
        fetch(`${base}/oauth/token`, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: new URLSearchParams({ grant_type: "client_credentials", scope: "catalog:read inventory:write" }),
        }),
      )
    ).access_token) as string;
    const bearer = { authorization: `Bearer ${token}` };
    await expectOk("me", fetch(`${base}/api/v2/me`, { headers: bearer }));
    await expectOk(
      "write",
      fetch(`${base}/api/v2/products/1/stock/adjustments`, {
        method: "POST",
        headers: { ...bearer, "content-type": "application/json" },
        body: JSON.stringify({ kind: "receive", quantity: 1 }),
      }),
    );
  }
  if (options.withDocs) {
    await expectOk("swagger ui", fetch(`${base}/docs/`));
    await expectOk("redoc", fetch(`${base}/redoc`));
    await expectOk("redoc bundle", fetch(`${base}/redoc/assets/redoc.standalone.js`));
  }
}

async function expectOkJson(label: string, response: Promise<Response>): Promise<Record<string, unknown>> {
  const res = await response;
  if (!res.ok) throw new Error(`${label}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

/** Kernel and V8 figures of a process at rest, in MiB. */
export type IdleMemory = {
  rss: number;
  /** Anonymous memory: heaps (V8, malloc), stacks, WebAssembly memories. */
  rssAnon: number;
  /** File-backed pages: the node binary, shared libraries, mapped files. */
  rssFile: number;
  /** V8's JavaScript heap in use, after the collection. */
  heapUsed: number;
  /** The JavaScript heap's resident pages (V8's total_physical_size), used or free. */
  heapResident: number;
  /** Memory V8 accounts outside its heap: buffers, ArrayBuffers, WebAssembly memories. */
  external: number;
};

function statusField(status: string, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** Forces a full GC in the server (bench/force-gc.mjs), lets it settle, and reads its memory. */
export async function idleMemory(server: RunningServer): Promise<IdleMemory> {
  const pid = server.child.pid as number;
  rmSync(server.memoryFile, { force: true });
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 100 && !existsSync(server.memoryFile); i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 200)); // the file is written whole; let the GC's unmapping land
  const v8 = JSON.parse(readFileSync(server.memoryFile, "utf8")) as NodeJS.MemoryUsage & { heapPhysical: number };
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return {
    rss: statusField(status, "VmRSS"),
    rssAnon: statusField(status, "RssAnon"),
    rssFile: statusField(status, "RssFile") + statusField(status, "RssShmem"),
    heapUsed: mib(v8.heapUsed),
    heapResident: mib(v8.heapPhysical),
    external: mib(v8.external),
  };
}

/** One line: RSS, and what of it is JavaScript heap, other anonymous memory, and file-backed pages. */
export function describeMemory(m: IdleMemory): string {
  const f = (n: number) => n.toFixed(0);
  return `RSS ${f(m.rss)} MiB = JS heap ${f(m.heapResident)} (${f(m.heapUsed)} used) + other anonymous ${f(m.rssAnon - m.heapResident)} (external ${f(m.external)}) + file-backed ${f(m.rssFile)}`;
}
