// npm run db:migrate: applies pending migrations to the configured database.
import { applyMigrations } from "../db/migrator.js";
import { runWithDatabase } from "./with-database.js";

await runWithDatabase(async ({ databaseUrl }) => {
  const applied = await applyMigrations(databaseUrl);
  process.stdout.write(applied.length ? `Applied: ${applied.join(", ")}\n` : "Database is up to date.\n");
});
