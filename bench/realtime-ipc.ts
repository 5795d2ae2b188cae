// Request/answer over a forked child's IPC channel, for bench:realtime's processes (the servers
// and the subscribers each run in their own process, so none measures itself).
import { type ChildProcess, fork } from "node:child_process";

type Request = { id: number; method: string; params: unknown };
type Answer = { id: number; result?: unknown; error?: string };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable between processes on one machine. */
export const wallClock = () => performance.timeOrigin + performance.now();

/** A forked TypeScript child whose methods are called by name. */
export type Peer = {
  child: ChildProcess;
  call<T>(method: string, params?: unknown): Promise<T>;
  stop(): Promise<void>;
};

/** Forks `script` (with tsx; `nodeArgs` e.g. --expose-gc) and waits for its "ready" message, whose value is returned. */
export async function forkPeer<Ready>(
  script: string,
  args: string[],
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<{ peer: Peer; ready: Ready }> {
  const child = fork(script, args, {
    execArgv: ["--import", "tsx", ...(options.nodeArgs ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on("message", (message: Answer | { ready: Ready }) => {
      if ("ready" in message) return resolve(message.ready);
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (message.error !== undefined) waiter?.reject(new Error(`${script}: ${message.error}`));
      else waiter?.resolve(message.result);
    });
    child.once("exit", (code) => {
      const error = new Error(`${script} exited with ${code}`);
      reject(error);
      for (const waiter of pending.values()) waiter.reject(error);
    });
  });
  const peer: Peer = {
    child,
    call<T>(method: string, params?: unknown) {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        child.send({ id, method, params } satisfies Request);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
  return { peer, ready: await ready };
}

/** In a forked child: answers the parent's calls with `methods`, after announcing `ready`. */
export function answerParent(methods: Record<string, (params: never) => unknown>, ready: unknown): void {
  const send = (message: unknown) => process.send?.(message);
  process.on("message", async ({ id, method, params }: Request) => {
    try {
      const handler = methods[method];
      if (!handler) throw new Error(`no method ${method}`);
      send({ id, result: await handler(params as never) } satisfies Answer);
    } catch (error) {
      send({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies Answer);
    }
  });
  // The parent gone (killed, or its IPC closed): nothing left to serve.
  process.on("disconnect", () => process.exit(0));
  send({ ready });
}

/** Heap and resident memory after a full collection (the process must run with --expose-gc). */
export function memoryAfterGc() {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("run with --expose-gc");
  gc();
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return { rss, heapUsed };
}
