import { pino } from "pino";
import type { Config } from "./config.js";

export type Logger = pino.Logger;

/** The process logger: JSON lines on stdout (stderr for CLI commands, whose stdout is their output). */
export function createLogger(config: Pick<Config, "logLevel">, options: { stream?: "stdout" | "stderr" } = {}): Logger {
  const destination = pino.destination({ fd: options.stream === "stderr" ? 2 : 1, sync: true });
  return pino({ level: config.logLevel, base: { service: "stockroom" } }, destination);
}
