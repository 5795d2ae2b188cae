import { pino } from "pino";
import type { Config } from "./config.js";

export type Logger = pino.Logger;

/**
 * The process logger: JSON lines on stdout (stderr for CLI commands, whose stdout is their output).
 * The server's lines are written in blocks of about 4 KB, or every 200 ms, and at exit: one write
 * per line cost a system call per request, about 10% of a cached read on these machines (bench/rest).
 */
export function createLogger(config: Pick<Config, "logLevel">, options: { stream?: "stdout" | "stderr" } = {}): Logger {
  if (options.stream === "stderr")
    return pino({ level: config.logLevel, base: { service: "stockroom" } }, pino.destination({ fd: 2, sync: true }));
  return pino({ level: config.logLevel, base: { service: "stockroom" } }, stdoutDestination());
}

// One buffer for the process's stdout, however many loggers write to it, flushed once at exit.
let stdout: ReturnType<typeof pino.destination> | undefined;
function stdoutDestination() {
  if (!stdout) {
    const destination = pino.destination({ fd: 1, sync: true, minLength: 4096, periodicFlush: 200 });
    process.on("exit", () => destination.flushSync());
    stdout = destination;
  }
  return stdout;
}
