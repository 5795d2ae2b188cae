-- CreateTable
CREATE TABLE "server_secrets" (
    "name" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "server_secrets_pkey" PRIMARY KEY ("name")
);

-- The key that signs page cursors (src/modules/shared/cursor.ts), generated once here so that every
-- instance and every restart shares it: 244 random bits from PostgreSQL's strong random source
-- (gen_random_uuid draws from pg_strong_random; core since PostgreSQL 13).
INSERT INTO "server_secrets" ("name", "secret")
VALUES ('cursor-hmac', replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''));
