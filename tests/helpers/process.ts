import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import net from "node:net";

/** A free TCP port on 127.0.0.1 at the time of asking. */
export async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  server.close();
  return port;
}

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

// The environment of a newcomer's shell: none of the test run's database or port settings.
function cleanEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !["DATABASE_URL", "TEST_DATABASE_URL", "PORT", "VITEST", "NODE_ENV"].includes(key),
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

/** Starts the real entry point (what `npm start` runs) with `env`, collecting its output. */
export function startEntryPoint(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: cleanEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  return {
    child,
    output: () => output,
    /** Sends `signal` and resolves with the exit code. */
    async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
      const exited = once(child, "exit");
      child.kill(signal);
      const [code] = await exited;
      return code as number | null;
    },
  };
}
