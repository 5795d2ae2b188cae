// The core, built once by the composition and handed, as one instance, to every transport.
import type { PrismaClient } from "../db/prisma.js";
import { createBlogCommands } from "./blog/commands.js";
import { createBlogQueries } from "./blog/queries.js";
import { createCatalogCommands } from "./catalog/commands.js";
import { createCatalogQueries } from "./catalog/queries.js";
import { createInventoryCommands } from "./inventory/commands.js";
import { createInventoryQueries } from "./inventory/queries.js";
import { type AfterWrite, createCommandRunner } from "./shared/command-runner.js";

/** Every module's commands and queries over one database; `afterWrite` runs after every command's transaction. */
export function createModules(prisma: PrismaClient, options: { afterWrite?: readonly AfterWrite[] } = {}) {
  const runner = createCommandRunner(prisma, options.afterWrite);
  return {
    catalog: { commands: createCatalogCommands(runner), queries: createCatalogQueries(prisma) },
    inventory: { commands: createInventoryCommands(runner), queries: createInventoryQueries(prisma) },
    blog: { commands: createBlogCommands(runner), queries: createBlogQueries(prisma) },
  };
}

export type Modules = ReturnType<typeof createModules>;
