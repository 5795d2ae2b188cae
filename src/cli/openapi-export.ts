// npm run docs:lint (and docs:export): writes the OpenAPI document of every API version to a
// folder, from the same declarations the server mounts; no database is touched.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig } from "../config.js";
import { createPrismaClient } from "../db/prisma.js";
import { createModules } from "../modules/index.js";
import { buildRestApi } from "../rest/index.js";
import { openApiDocument } from "../rest/openapi.js";

const folder = path.resolve(process.argv[2] ?? "openapi");
const config = loadConfig();
// The client is never used: building the routes only needs something to hand to the modules.
const prisma = createPrismaClient(config.databaseUrl ?? "postgres://unused@127.0.0.1:1/unused");
await mkdir(folder, { recursive: true });
for (const api of Object.values(buildRestApi(createModules(prisma)).versions)) {
  const file = path.join(folder, `v${api.version}.json`);
  await writeFile(file, `${JSON.stringify(openApiDocument(api, config), null, 2)}\n`);
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
