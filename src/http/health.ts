import type { Express } from "express";
import type { PrismaClient } from "../db/prisma.js";

/** GET /healthz (the process answers) and GET /readyz (database reachable, every migration applied), on the app itself. */
export function serveHealth(app: Express, prisma: PrismaClient, expectedMigrations: readonly string[]): void {
  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok", uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get("/readyz", async (req, res) => {
    try {
      const applied = await prisma.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      const appliedNames = new Set(applied.map((row) => row.migration_name));
      const pending = expectedMigrations.filter((name) => !appliedNames.has(name));
      const ready = pending.length === 0;
      res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "migrating", database: "up", pendingMigrations: pending });
    } catch (error) {
      req.log.warn({ err: error }, "readiness check failed");
      res.status(503).json({ status: "unavailable", database: "down" });
    }
  });
}
