import { type Config, ConfigError, loadConfig } from "../config.js";
import { reachDatabase } from "../db/database.js";
import { createLogger, type Logger } from "../logger.js";

export type CommandContext = { config: Config; logger: Logger; databaseUrl: string };

/**
 * Runs a CLI command against the same database the server uses (DATABASE_URL, or the embedded
 * PostgreSQL of the data folder, joined if a server runs on it, else started for the command).
 * Exits with the code the command returns (0 by default), 1 on failure, 78 on bad configuration.
 */
export async function runWithDatabase(
  command: (context: CommandContext) => Promise<number | undefined> | Promise<void>,
): Promise<never> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`stockroom: ${error.message}\n`);
    process.exit(78);
  }
  const logger = createLogger({ logLevel: config.logLevel === "info" ? "warn" : config.logLevel }, { stream: "stderr" });
  const database = await reachDatabase(config, logger);
  let exitCode = 0;
  try {
    const result = await command({ config, logger, databaseUrl: database.url });
    exitCode = typeof result === "number" ? result : 0;
  } catch (error) {
    process.stderr.write(`stockroom: ${error instanceof Error ? error.message : String(error)}\n`);
    exitCode = 1;
  } finally {
    await database.release();
  }
  process.exit(exitCode);
}
