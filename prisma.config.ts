import { defineConfig } from "prisma/config";

// `env()` from prisma/config throws when the variable is unset, which would break
// `prisma generate` on a fresh clone; read it plainly instead.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "" },
});
