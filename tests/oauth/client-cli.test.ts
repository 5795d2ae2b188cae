import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import { discover, type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { runCommand, runScript } from "../helpers/process.js";

let databaseUrl: string;
let server: IdentityServer;
let prisma: PrismaClient;

beforeAll(async () => {
  databaseUrl = (await createTestDatabase()).url;
  server = await startIdentityServer(databaseUrl);
  prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const oauth = (...args: string[]) => runScript("src/cli/oauth.ts", args, { DATABASE_URL: databaseUrl, LOG_LEVEL: "silent" });

/** `npm run oauth -- …` exactly as a user types it. */
const npmRunOauth = (...args: string[]) =>
  runCommand("npm", ["run", "--silent", "oauth", "--", ...args], {
    ...process.env,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: "silent",
  });

describe("npm run oauth", () => {
  let clientId: string;
  let clientSecret: string;

  it("client:create --json prints one JSON object, and that client gets a token the API accepts", async () => {
    const created = await npmRunOauth(
      "client:create",
      "--name",
      "Nightly export",
      "--grant",
      "client_credentials",
      "--scopes",
      "catalog:read inventory:read",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    const lines = created.stdout.trim().split("\n");
    expect(lines).toHaveLength(1);
    const printed = JSON.parse(lines[0] ?? "");
    expect(Object.keys(printed).sort()).toEqual(["client_id", "client_secret"]);
    ({ client_id: clientId, client_secret: clientSecret } = printed);
    expect(clientSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Stored hashed, never in the clear.
    const row = await prisma.oidcPayload.findUniqueOrThrow({ where: { id_type: { id: clientId, type: "Client" } } });
    expect(JSON.stringify(row.payload)).not.toContain(clientSecret);
    expect((row.payload as { client_secret: string }).client_secret).toMatch(/^sha256:/);

    const machine = await discover(server, clientId, client.ClientSecretBasic(clientSecret));
    const { access_token, scope } = await client.clientCredentialsGrant(machine, { scope: "catalog:read inventory:read" });
    expect(scope).toBe("catalog:read inventory:read");
    const me = await fetch(`${server.api}/v1/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ clientId, scopes: ["catalog:read", "inventory:read"] });
  });

  it("client:create registers a public authorization-code client (no secret) and refuses inconsistent options", async () => {
    const created = await oauth(
      "client:create",
      "--name",
      "Mobile app",
      "--grant",
      "authorization_code",
      "--public",
      "--redirect-uri",
      "https://app.example/callback",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ client_id: expect.stringMatching(/^client_/), client_secret: null });

    const noRedirect = await oauth("client:create", "--name", "Broken", "--grant", "authorization_code");
    expect(noRedirect.code).toBe(64);
    expect(noRedirect.stderr).toContain("redirect");
    const badScope = await oauth("client:create", "--name", "Broken", "--grant", "client_credentials", "--scopes", "root");
    expect(badScope.code).toBe(64);
    const unknown = await oauth("client:frobnicate");
    expect(unknown.code).toBe(64);
    expect(unknown.stderr).toContain("usage: npm run oauth");
  });

  it("client:list shows every client without secrets", async () => {
    const text = await oauth("client:list");
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(clientId);
    expect(text.stdout).toContain("stockroom-web");
    expect(text.stdout).not.toContain(clientSecret);
    expect(text.stdout).not.toContain("sha256:");
    const listed = JSON.parse((await oauth("client:list", "--json")).stdout) as {
      clientId: string;
      public: boolean;
      grants: string[];
    }[];
    expect(listed.find((c) => c.clientId === "stockroom-web")).toMatchObject({
      public: true,
      grants: ["authorization_code", "refresh_token"],
    });
    expect(listed.find((c) => c.clientId === clientId)).toMatchObject({ public: false, grants: ["client_credentials"] });
  });

  it("client:delete removes the client at once: it can no longer get tokens", async () => {
    const deleted = await oauth("client:delete", clientId);
    expect(deleted.code, deleted.stderr).toBe(0);
    const machine = await discover(server, clientId, client.ClientSecretBasic(clientSecret));
    await expect(client.clientCredentialsGrant(machine, { scope: "catalog:read" })).rejects.toMatchObject({ status: 401 });
    expect((await oauth("client:list")).stdout).not.toContain(clientId);
    const again = await oauth("client:delete", clientId);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("No client has the id");
  });

  it("keys:list shows the signing key", async () => {
    const keys = JSON.parse((await oauth("keys:list", "--json")).stdout) as { kid: string; state: string }[];
    expect(keys).toHaveLength(1);
    expect(keys[0]?.state).toBe("signing");
  });
});
