import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createLogger } from "../../src/logger.js";
import { followClientRegistry } from "../../src/oauth/client-registry.js";
import { registerClient } from "../../src/oauth/clients.js";
import { createTestDatabase } from "../helpers/database.js";
import { discover, type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { runScript } from "../helpers/process.js";

// Access tokens are JWTs that live 15 minutes; deleting their client must end them within
// seconds on every instance (two real servers on one database here), not when they expire.

let databaseUrl: string;
let first: IdentityServer;
let second: IdentityServer;
let prisma: PrismaClient;

beforeAll(async () => {
  databaseUrl = (await createTestDatabase()).url;
  first = await startIdentityServer(databaseUrl);
  // One PUBLIC_URL for both, as behind a load balancer: each accepts the other's tokens.
  second = await startIdentityServer(databaseUrl, { PUBLIC_URL: first.publicUrl });
  prisma = createPrismaClient(databaseUrl, { poolSize: 2 });
});
afterAll(async () => {
  await Promise.all([first.stop(), second.stop()]);
  await prisma.$disconnect();
});

/** Asks `until` every 100 ms until it holds; fails after `timeoutMs`. */
async function eventually(until: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await until())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const me = (server: IdentityServer, token: string) =>
  fetch(`${server.url}/api/v2/me`, { headers: { authorization: `Bearer ${token}` } });

describe("deleting a client", () => {
  it("ends its access tokens on every running instance within seconds", async () => {
    const { clientId, clientSecret } = await registerClient(prisma, { name: "Doomed", grants: ["client_credentials"] });
    const machine = await discover(first, clientId, client.ClientSecretBasic(clientSecret ?? ""));
    const { access_token: token } = await client.clientCredentialsGrant(machine, { scope: "catalog:read" });
    expect((await me(first, token)).status).toBe(200);
    expect((await me(second, token)).status).toBe(200);

    const deleted = await runScript("src/cli/oauth.ts", ["client:delete", clientId], {
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: "silent",
    });
    expect(deleted.code, deleted.stderr).toBe(0);

    // Well inside the 30 s either server may trust what it remembers: the announcement did it.
    for (const server of [first, second]) {
      await eventually(async () => (await me(server, token)).status === 401, 10_000, `${server.url} refuses the token`);
    }
    const refused = await me(second, token);
    expect(refused.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(((await refused.json()) as { detail: string }).detail).toBe(
      "The client this access token was issued to no longer exists.",
    );
  });

  it("is noticed even without the announcement (deleted by hand), once what a server remembers expires", async () => {
    const registry = await followClientRegistry({
      prisma,
      databaseUrl,
      logger: createLogger({ logLevel: "silent" }),
      rememberMs: 300,
    });
    try {
      const { clientId } = await registerClient(prisma, { name: "Deleted in psql", grants: ["client_credentials"] });
      expect(await registry.isRegistered(clientId)).toBe(true);
      await prisma.$executeRaw`DELETE FROM oidc_payloads WHERE id = ${clientId} AND type = 'Client'`;
      await eventually(async () => !(await registry.isRegistered(clientId)), 10_000, "the registry forgets the client");
      expect(await registry.isRegistered("never-registered")).toBe(false);
    } finally {
      await registry.close();
    }
  });
});
