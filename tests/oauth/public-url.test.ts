import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { createTestDatabase } from "../helpers/database.js";
import {
  authorizationRequest,
  Browser,
  discover,
  type IdentityServer,
  signInForTokens,
  startIdentityServer,
} from "../helpers/oauth.js";
import { freePort } from "../helpers/process.js";

// The demo data is seeded once, on the first start; the demo client's redirect URIs must still
// follow PUBLIC_URL when the same database is started again somewhere else.

let server: IdentityServer;
let prisma: PrismaClient;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  prisma = createPrismaClient(db.url, { poolSize: 1 });
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const redirectUris = async () => {
  const row = await prisma.oidcPayload.findUniqueOrThrow({ where: { id_type: { id: "stockroom-web", type: "Client" } } });
  return (row.payload as { redirect_uris: string[] }).redirect_uris;
};

async function moveTo(env: Record<string, string> = {}) {
  const port = await freePort();
  await server.restart({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, ...env });
}

describe("the demo client after a restart on another PUBLIC_URL", () => {
  it("signs in with the new origin's redirect URI", async () => {
    const first = server.publicUrl;
    expect(await redirectUris()).toContain(`${first}/callback`);
    await moveTo();
    expect(server.publicUrl).not.toBe(first);
    const web = await discover(server, "stockroom-web");
    const { tokens } = await signInForTokens(
      web,
      server,
      "customer@stockroom.test",
      "customer-demo-password",
      "openid blog:read",
    );
    const me = await fetch(`${server.api}/v2/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(me.status).toBe(200);
    // The old origin is no longer a place to send codes to.
    expect(await redirectUris()).not.toContain(`${first}/callback`);
    expect(await redirectUris()).toContain(`${server.publicUrl}/docs/oauth2-redirect.html`);
  });

  it("is left alone when demo data is off (as in production)", async () => {
    const before = await redirectUris();
    await moveTo({ SEED_DEMO_DATA: "false" });
    expect(await redirectUris()).toEqual(before);
    const web = await discover(server, "stockroom-web");
    const request = await authorizationRequest(web, server, "openid");
    const res = await new Browser().request(request.url);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("redirect_uri");
  });
});
