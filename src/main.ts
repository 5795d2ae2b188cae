import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { startStockroom } from "./start.js";

// Process entry: configuration, start, and a clean shutdown on SIGTERM/SIGINT.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`stockroom: ${error.message}\n`);
  process.exit(78); // EX_CONFIG
}

const logger = createLogger(config);
let stockroom: Awaited<ReturnType<typeof startStockroom>>;
try {
  stockroom = await startStockroom(config, logger);
} catch (error) {
  logger.fatal({ err: error }, "stockroom failed to start");
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, "shutting down");
  try {
    await stockroom.stop();
    logger.info("stopped cleanly");
    process.exit(0);
  } catch (error) {
    logger.error({ err: error }, "shutdown failed");
    process.exit(1);
  }
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGHUP", () => void shutdown("SIGHUP"));
