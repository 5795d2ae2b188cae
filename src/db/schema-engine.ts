import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";

// Prisma's CLI wants a native schema engine it cannot download on our machines, so we
// drive the same engine compiled to WebAssembly. Its package entry imports the .wasm as an
// ES module (bundler only), hence the manual instantiation below.
const require = createRequire(import.meta.url);
const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");

// Node has WebAssembly at runtime; TypeScript only types it in the DOM libs.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type SchemaEngineClass = typeof SchemaEngine;
let engineClass: Promise<SchemaEngineClass> | undefined;

async function loadEngineClass(): Promise<SchemaEngineClass> {
  const bg = await import(pathToFileURL(bindingsPath).href);
  const bytes = await readFile(bindingsPath.replace(/\.js$/, ".wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bg });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return bg.SchemaEngine as SchemaEngineClass;
}

/** pg config as separate fields: the adapter only redirects field-style configs to a shadow database. */
export function pgConfigFromUrl(url: string): pg.PoolConfig {
  const parsed = parseConnectionString(url);
  return {
    host: parsed.host ?? "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: parsed.user ?? "postgres",
    password: parsed.password ?? undefined,
    database: parsed.database ?? "postgres",
    max: 2,
  };
}

// The engine reads catalog columns of type "char" (oid 18, e.g. pg_constraint.contype), which
// adapter-pg 7.10 rejects. The pool hands them to the adapter as text and notes where they were,
// and withCharColumns() reports those columns to the engine as the Character type it expects.
const CHAR_OID = 18;
const TEXT_OID = 25;
const charColumns = Symbol("charColumns");
type TaggedRows = unknown[] & { [charColumns]?: number[] };

class CatalogSafePool extends pg.Pool {
  // biome-ignore lint/suspicious/noExplicitAny: pg's overloaded query signature
  override query(...args: any[]): any {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const result = (super.query as any)(...args);
    if (!result || typeof result.then !== "function") return result;
    return result.then((res: pg.QueryResult) => {
      const indexes: number[] = [];
      res.fields?.forEach((field, index) => {
        if (field.dataTypeID === CHAR_OID) {
          field.dataTypeID = TEXT_OID;
          indexes.push(index);
        }
      });
      if (indexes.length > 0) (res.rows as TaggedRows)[charColumns] = indexes;
      return res;
    });
  }
}

// adapter-pg 7.10 runs a script by splitting it at every ";", which breaks any migration with a
// function body ($$ … ; … $$) or a ";" inside a string. PostgreSQL's simple query protocol takes
// the whole script at once (as one implicit transaction), as the native engine sends it; a query
// without parameters goes out that way.
function withWholeScripts(adapter: SqlDriverAdapter): SqlDriverAdapter {
  adapter.executeScript = async (script) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

function withCharColumns(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const queryRaw = adapter.queryRaw.bind(adapter);
  adapter.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of (result.rows as TaggedRows)[charColumns] ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return adapter;
}

// A panic inside the engine reports its message here before it aborts; keep it for the error.
let lastPanic: string | undefined;
(globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown }).PRISMA_WASM_PANIC_REGISTRY = {
  set_message: (message: string) => {
    lastPanic = message;
  },
};

/** Rethrows an engine abort with the panic message it left, instead of a bare "unreachable". */
export function explainEngineError(error: unknown): unknown {
  if (error instanceof Error && error.message === "unreachable" && lastPanic) {
    return new Error(`Prisma schema engine panicked: ${lastPanic}`);
  }
  return error;
}

/** A migration-aware adapter factory whose shadow database is created and dropped reliably. */
function adapterFactoryFor(url: string, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const config = pgConfigFromUrl(url);
  const main = new PrismaPg(pool);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => withWholeScripts(withCharColumns(await main.connect())),
    async connectToShadowDb(): Promise<SqlDriverAdapter> {
      const database = `stockroom_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
      const admin = new pg.Client(config);
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database}"`);
      const shadow = withWholeScripts(
        withCharColumns(
          await new PrismaPg(new CatalogSafePool({ ...config, database }), { disposeExternalPool: true }).connect(),
        ),
      );
      const dispose = shadow.dispose.bind(shadow);
      // Close the shadow connections before dropping the database they are connected to.
      shadow.dispose = async () => {
        await dispose();
        await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
        await admin.end();
      };
      return shadow;
    },
  };
}

/** Prisma's schema engine on one database; close() frees it and its connections. */
export type OpenSchemaEngine = { engine: SchemaEngine; close(): Promise<void> };

/** Opens Prisma's schema engine on a database, with the given Prisma schema as its datamodel. */
export async function openSchemaEngine(url: string, schemaPath: string): Promise<OpenSchemaEngine> {
  engineClass ??= loadEngineClass();
  const Engine = await engineClass;
  const datamodel = await readFile(schemaPath, "utf8");
  // The engine holds its migration advisory lock on a pooled session and never disposes the
  // adapter, so we own the pool: ending it is what releases the lock for the next migrator.
  const pool = new CatalogSafePool(pgConfigFromUrl(url));
  const log = () => {};
  const engine = await Engine.new(
    { datamodels: [[schemaPath, datamodel]] },
    log,
    bindMigrationAwareSqlAdapterFactory(adapterFactoryFor(url, pool)),
  ).catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  return {
    engine,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}
