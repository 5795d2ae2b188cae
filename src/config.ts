import path from "node:path";
import { z } from "zod";
import { packageRoot } from "./package-root.js";

/** A comma-separated list of origins (scheme://host[:port]), each checked. */
const originList = () =>
  z
    .string()
    .transform((list) =>
      list
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .url({ protocol: /^https?$/ })
          .refine(
            (url) => new URL(url).origin === url,
            "each entry must be an origin like https://app.example.com, without a path or a trailing slash",
          ),
      ),
    );

// Every environment variable Stockroom reads, parsed once. Nothing else reads process.env.
const environmentSchema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /** External PostgreSQL; when unset an embedded PostgreSQL is started on STOCKROOM_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
    .optional(),
  STOCKROOM_DATA_DIR: z.string().min(1).default(".data"),
  /** Origin the outside world reaches us at (OAuth issuer, links); defaults to localhost:PORT. */
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Largest JSON body accepted, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).max(10_485_760).default(102_400),
  /** How long shutdown waits for in-flight requests before closing them. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  /** Seed demo data (with its published demo passwords) into an empty database; off in production unless asked. */
  SEED_DEMO_DATA: z.enum(["true", "false"]).optional(),
  /** Check every REST answer against the OpenAPI document and log mismatches; on except in production. */
  VALIDATE_RESPONSES: z.enum(["true", "false"]).optional(),
  /** Behind a reverse proxy: trust X-Forwarded-For/-Proto (client address for rate limits, https URLs). */
  TRUST_PROXY: z.enum(["true", "false"]).default("false"),
  /** Prepared statements for repeated SQL; set false behind a pooler that cannot keep them (PgBouncer in transaction mode before 1.21). */
  DATABASE_PREPARED_STATEMENTS: z.enum(["true", "false"]).default("true"),
  /** Public catalog answers kept in memory until the catalog changes; 0 turns the response cache off. */
  RESPONSE_CACHE_ENTRIES: z.coerce.number().int().min(0).max(1_000_000).default(1000),
  /** Origins (scheme://host[:port]) whose browser apps may call /api, comma-separated (CORS); default: the Vite dev server unless production. */
  CORS_ORIGINS: originList().optional(),
  /** How often a running server checks for rotated OAuth signing keys (`npm run oauth -- keys:rotate`). */
  OAUTH_KEY_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** GraphQL introspection (and field suggestions in errors); on unless production. */
  GRAPHQL_INTROSPECTION: z.enum(["true", "false"]).optional(),
  /** How long one GraphQL query may run before it is answered 503. */
  GRAPHQL_TIMEOUT_MS: z.coerce.number().int().min(1).max(120_000).default(10_000),
  /** The built React client served at `/` (`npm install` builds it; `npm run build:web` again after changes). */
  WEB_DIST_DIR: z.string().min(1).optional(),
  /** Largest WebSocket frame a client may send, in bytes (larger: close 1009). */
  WS_MAX_FRAME_BYTES: z.coerce.number().int().min(256).max(1_048_576).default(16_384),
  /** Bytes a socket may have waiting to be sent before it is closed with 1013 (a reader that fell behind resumes with `since`). */
  WS_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).max(67_108_864).default(1_048_576),
  /** Topics one socket may watch at once. */
  WS_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(10_000).default(50),
  /** Open sockets per client address, and per access token. */
  WS_MAX_SOCKETS_PER_ADDRESS: z.coerce.number().int().min(1).max(1_000_000).default(200),
  WS_MAX_SOCKETS_PER_TOKEN: z.coerce.number().int().min(1).max(1_000_000).default(20),
  /** Invalid frames (not JSON, unknown type, bad fields) a socket may send before it is closed with 1008. */
  WS_MAX_INVALID_FRAMES: z.coerce.number().int().min(1).max(1000).default(10),
  /** How often the server pings each socket; a socket that has not answered the previous ping is terminated. */
  WS_HEARTBEAT_MS: z.coerce.number().int().min(50).max(600_000).default(30_000),
  /** Origins browsers may open sockets from, comma-separated; default: PUBLIC_URL's origin and CORS_ORIGINS. Non-browser clients send none. */
  WS_ALLOWED_ORIGINS: originList().optional(),
});

export type Config = {
  nodeEnv: "development" | "test" | "production";
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  publicUrl: string;
  logLevel: z.infer<typeof environmentSchema>["LOG_LEVEL"];
  bodyLimitBytes: number;
  shutdownTimeoutMs: number;
  seedDemoData: boolean;
  validateResponses: boolean;
  trustProxy: boolean;
  oauthKeyRefreshSeconds: number;
  preparedStatements: boolean;
  responseCacheEntries: number;
  corsOrigins: string[];
  webDistDir: string;
  realtime: RealtimeLimits;
  graphqlIntrospection: boolean;
  graphqlTimeoutMs: number;
};

/** The WebSocket transport's limits (src/realtime). */
export type RealtimeLimits = {
  maxFrameBytes: number;
  maxBufferedBytes: number;
  maxSubscriptions: number;
  maxSocketsPerAddress: number;
  maxSocketsPerToken: number;
  maxInvalidFrames: number;
  heartbeatMs: number;
  allowedOrigins: string[];
};

/** Where `npm run build:web` writes the client: web/dist of this checkout (from src/ and from the build in dist/src/ alike). */
export const defaultWebDistDir = path.join(packageRoot(import.meta.dirname), "web", "dist");

/** The Vite dev server of the React client (web/), allowed by default outside production. */
export const viteDevOrigin = "http://localhost:5173";

/** Thrown when the environment is invalid; its message is one line naming the variable. */
export class ConfigError extends Error {}

/** Parses the environment into a Config, or throws a ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as shells and compose files often export them empty.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(`Invalid environment variable ${name}=${JSON.stringify(env[name])}: ${issue?.message}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, "");
  const corsOrigins = e.CORS_ORIGINS ?? (e.NODE_ENV === "production" ? [] : [viteDevOrigin]);
  return {
    nodeEnv: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.STOCKROOM_DATA_DIR),
    publicUrl,
    logLevel: e.LOG_LEVEL,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    seedDemoData: e.SEED_DEMO_DATA ? e.SEED_DEMO_DATA === "true" : e.NODE_ENV !== "production",
    validateResponses: e.VALIDATE_RESPONSES ? e.VALIDATE_RESPONSES === "true" : e.NODE_ENV !== "production",
    trustProxy: e.TRUST_PROXY === "true",
    oauthKeyRefreshSeconds: e.OAUTH_KEY_REFRESH_SECONDS,
    preparedStatements: e.DATABASE_PREPARED_STATEMENTS === "true",
    responseCacheEntries: e.RESPONSE_CACHE_ENTRIES,
    graphqlIntrospection: e.GRAPHQL_INTROSPECTION ? e.GRAPHQL_INTROSPECTION === "true" : e.NODE_ENV !== "production",
    graphqlTimeoutMs: e.GRAPHQL_TIMEOUT_MS,
    corsOrigins,
    webDistDir: path.resolve(e.WEB_DIST_DIR ?? defaultWebDistDir),
    realtime: {
      maxFrameBytes: e.WS_MAX_FRAME_BYTES,
      maxBufferedBytes: e.WS_MAX_BUFFERED_BYTES,
      maxSubscriptions: e.WS_MAX_SUBSCRIPTIONS,
      maxSocketsPerAddress: e.WS_MAX_SOCKETS_PER_ADDRESS,
      maxSocketsPerToken: e.WS_MAX_SOCKETS_PER_TOKEN,
      maxInvalidFrames: e.WS_MAX_INVALID_FRAMES,
      heartbeatMs: e.WS_HEARTBEAT_MS,
      allowedOrigins: e.WS_ALLOWED_ORIGINS ?? [new URL(publicUrl).origin, ...corsOrigins],
    },
  };
}
