import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import net from "node:net";
import { onFileEnd } from "./file-teardown.js";

/** A free TCP port on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

/** How long a server may take to become ready: a hang bound, generous for two cores shared by several runs. */
export const readinessBound = 180_000;

/** Polls `url` until it answers `status`, or fails after `timeoutMs`. */
export async function waitForStatus(url: string, status: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) throw new Error(`process exited with ${child.exitCode} before ${url} answered`);
    const answered = await fetch(url).then(
      (res) => res.status,
      () => 0,
    );
    if (answered === status) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms`);
}

/** The environment of a newcomer's shell (none of the test run's database, port or vitest settings) plus `env`. */
export function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !["DATABASE_URL", "TEST_DATABASE_URL", "PORT", "NODE_ENV"].includes(key) && !key.startsWith("VITEST"),
    ),
  );
  return { ...inherited, NODE_ENV: "development", ...env };
}

/** Runs a command to completion, collecting its output. */
export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk) => {
    stdout += chunk;
  });
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, "exit");
  return { code: code as number | null, stdout, stderr };
}

/** Runs a TypeScript CLI script (as its npm script does) to completion, in a newcomer's environment plus `env`. */
export function runScript(script: string, args: string[], env: Record<string, string>) {
  return runCommand(process.execPath, ["--import", "tsx", script, ...args], cleanEnv(env));
}

/** Pids of the live descendants of `pid` (children, their children, …), read from /proc. */
export function descendantsOf(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const ppid = Number(statFields(Number(entry))?.[1]);
    parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
  }
  const found: number[] = [];
  for (let queue = [pid]; queue.length > 0; ) {
    const children = parents.get(queue.shift() as number) ?? [];
    found.push(...children);
    queue.push(...children);
  }
  return found;
}

// The fields of /proc/<pid>/stat after the parenthesised command name (which may hold spaces).
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a live process (a zombie, exited but not yet reaped, counts as gone). */
export function isRunning(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== "Z";
}

// A pid and its start time (field 22), which together name one process even after pid reuse.
const identity = (pid: number) => `${pid}:${statFields(pid)?.[19]}`;

/** Starts `command` in a newcomer's environment plus `env`, collecting its output; whatever it left running is killed when the test file ends. */
export function startProcess(command: string, args: string[], env: Record<string, string>) {
  const child = spawn(command, args, { env: cleanEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  // Every pid seen in the tree, so that one orphaned by a bug can still be found and killed.
  const seen = new Map<number, string>();
  const tree = () => {
    const pids = child.pid && isRunning(child.pid) ? [child.pid, ...descendantsOf(child.pid)] : [];
    for (const pid of pids) seen.set(pid, identity(pid));
    return pids;
  };
  // A failed test must not leave a server (or its PostgreSQL) behind.
  onFileEnd(() => {
    tree();
    for (const [pid, id] of seen) {
      try {
        if (isRunning(pid) && identity(pid) === id) process.kill(pid, "SIGKILL");
      } catch {
        // Gone meanwhile.
      }
    }
  });
  return {
    child,
    output: () => output,
    /** The pids of the process and its live descendants, now. */
    tree,
    /** Sends `signal` to the process alone (as a supervisor does) and resolves with its exit code. */
    async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
      const exited = child.exitCode === null ? once(child, "exit") : Promise.resolve([child.exitCode]);
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}

/** Starts the real entry point (what `npm start` runs: scripts/start.sh) with `env` and node options `nodeArgs`, collecting its output. */
export function startEntryPoint(env: Record<string, string>, nodeArgs: string[] = []) {
  return startProcess("sh", ["scripts/start.sh", ...nodeArgs], env);
}

/** Runs `npm run <script>` itself, as a newcomer or a supervisor does. */
export function startNpmScript(script: string, env: Record<string, string>) {
  return startProcess("npm", ["run", script], env);
}
