import { decodeJwt } from "jose";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrismaClient, type PrismaClient } from "../../src/db/prisma.js";
import { registerClient } from "../../src/oauth/clients.js";
import { createTestDatabase } from "../helpers/database.js";
import {
  authorizationRequest,
  Browser,
  discover,
  formOf,
  type IdentityServer,
  openLoginPage,
  signInForTokens,
  startIdentityServer,
} from "../helpers/oauth.js";

let server: IdentityServer;
let prisma: PrismaClient;
let web: client.Configuration;

beforeAll(async () => {
  const db = await createTestDatabase();
  server = await startIdentityServer(db.url);
  prisma = createPrismaClient(db.url, { poolSize: 2 });
  web = await discover(server, "stockroom-web");
});
afterAll(async () => {
  await server.stop();
  await prisma.$disconnect();
});

const allApiScopes = "catalog:read catalog:write inventory:read inventory:write blog:read blog:write admin";

async function tokensFor(login: string, password: string, scope: string) {
  return (await signInForTokens(web, server, login, password, scope)).tokens;
}

const customer = (scope = "openid blog:read blog:write") => tokensFor("customer@stockroom.test", "customer-demo-password", scope);
const staff = (scope = "openid blog:read blog:write") => tokensFor("staff@stockroom.test", "staff-demo-password", scope);

/** POST /api/v1/products, the catalog's write route (scope catalog:write). */
const createProduct = (accessToken: string, sku: string) =>
  fetch(`${server.api}/v1/products`, {
    method: "POST",
    headers: { authorization: `Bearer ${accessToken}`, "content-type": "application/json" },
    body: JSON.stringify({ sku, name: "Cupping Spoon", price: "14.50", currency: "EUR", categoryId: 1 }),
  });

async function scopesOf(accessToken: string): Promise<string[]> {
  const res = await fetch(`${server.api}/v1/me`, { headers: { authorization: `Bearer ${accessToken}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { scopes: string[] }).scopes;
}

describe("what a role may grant", () => {
  it("shows a customer that catalog:write is not theirs to grant, and leaves it out of the token", async () => {
    const browser = new Browser();
    const request = await authorizationRequest(web, server, `openid ${allApiScopes}`);
    const page = await openLoginPage(browser, request.url);
    const consent = await browser.follow(new URL(page.form.action, server.publicUrl), {
      form: { csrf: page.form.csrf, login: "customer@stockroom.test", password: "customer-demo-password" },
    });
    const html = await consent.res.text();
    const [granted, unavailable] = html.split("Your account cannot grant");
    expect(granted).toContain("<code>blog:write</code>");
    expect(granted).not.toContain("<code>catalog:write</code>");
    expect(unavailable).toContain("<code>catalog:write</code>");
    expect(unavailable).toContain("<code>admin</code>");

    const form = formOf(html);
    const done = await browser.follow(new URL(form.action, server.publicUrl), { form: { csrf: form.csrf } });
    const tokens = await client.authorizationCodeGrant(
      web,
      done.location as URL,
      { pkceCodeVerifier: request.codeVerifier, expectedState: request.state },
      { resource: server.api },
    );
    const scope = String(decodeJwt(tokens.access_token).scope).split(" ");
    expect(scope).not.toContain("catalog:write");
    expect(scope).not.toContain("inventory:write");
    expect(scope).toContain("catalog:read");
    expect(await scopesOf(tokens.access_token)).toEqual(["blog:read", "blog:write", "catalog:read", "inventory:read"]);

    // And the catalog's write route says so.
    const refused = await createProduct(tokens.access_token, "KIT-SPN-01");
    expect(refused.status).toBe(403);
    expect(refused.headers.get("www-authenticate")).toContain('error="insufficient_scope", scope="catalog:write"');
    expect(await prisma.product.count({ where: { sku: "KIT-SPN-01" } })).toBe(0);
  });

  it("lets staff grant catalog:write", async () => {
    const tokens = await staff(`openid ${allApiScopes}`);
    expect(await scopesOf(tokens.access_token)).toEqual([
      "blog:read",
      "blog:write",
      "catalog:read",
      "catalog:write",
      "inventory:read",
      "inventory:write",
    ]);
    expect((await createProduct(tokens.access_token, "KIT-SPN-02")).status).toBe(201);
  });

  it("reads roles again at refresh: a demoted user loses staff scopes with the next access token", async () => {
    const tokens = await staff(`openid offline_access catalog:read catalog:write`);
    expect(await scopesOf(tokens.access_token)).toContain("catalog:write");
    await prisma.user.update({ where: { email: "staff@stockroom.test" }, data: { role: "customer" } });
    try {
      const refreshed = await client.refreshTokenGrant(web, tokens.refresh_token as string, { resource: server.api });
      expect(decodeJwt(refreshed.access_token).roles).toEqual(["customer"]);
      expect(await scopesOf(refreshed.access_token)).toEqual(["catalog:read"]);
    } finally {
      await prisma.user.update({ where: { email: "staff@stockroom.test" }, data: { role: "staff" } });
    }
  });
});

describe("deleting a comment: only its author or staff", () => {
  let customerId: number;
  let staffId: number;

  beforeAll(async () => {
    customerId = (await prisma.user.findUniqueOrThrow({ where: { email: "customer@stockroom.test" } })).id;
    staffId = (await prisma.user.findUniqueOrThrow({ where: { email: "staff@stockroom.test" } })).id;
  });

  const commentBy = (authorId: number) => prisma.comment.findFirstOrThrow({ where: { authorId }, orderBy: { id: "asc" } });
  const remove = (token: string, postId: number, commentId: number) =>
    fetch(`${server.api}/v1/posts/${postId}/comments/${commentId}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
  const deletionEvents = (commentId: number) =>
    prisma.event.findMany({ where: { type: "CommentDeleted", data: { path: ["commentId"], equals: commentId } } });

  it("refuses another user (403) and leaves the comment and the event log alone", async () => {
    const { access_token } = await customer();
    const staffComment = await commentBy(staffId);
    const res = await remove(access_token, staffComment.postId, staffComment.id);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: "Forbidden", detail: "Only the comment's author or staff may delete it." });
    expect(await prisma.comment.count({ where: { id: staffComment.id } })).toBe(1);
    expect(await deletionEvents(staffComment.id)).toHaveLength(0);
  });

  it("lets the author delete it (204) and records CommentDeleted on the post's stream", async () => {
    const { access_token } = await customer();
    const own = await commentBy(customerId);
    // The post's stream already holds its PostCreated and CommentAdded events (the seed goes through the commands).
    const before = await prisma.event.count({ where: { streamType: "post", streamId: String(own.postId) } });
    const res = await remove(access_token, own.postId, own.id);
    expect(res.status).toBe(204);
    expect(await prisma.comment.count({ where: { id: own.id } })).toBe(0);
    const [event] = await deletionEvents(own.id);
    expect(event).toMatchObject({
      streamType: "post",
      streamId: String(own.postId),
      streamVersion: before + 1,
      data: { commentId: own.id, postId: own.postId },
      metadata: { actor: `user:${customerId}` },
    });
    // Deleting it again: it is gone.
    expect((await remove(access_token, own.postId, own.id)).status).toBe(404);
  });

  it("lets staff delete anyone's comment, and numbers the stream's events in order", async () => {
    const { access_token } = await staff();
    const theirs = await commentBy(customerId);
    expect((await remove(access_token, theirs.postId, theirs.id)).status).toBe(204);
    expect(await prisma.comment.count({ where: { id: theirs.id } })).toBe(0);
    const versions = await prisma.event.findMany({
      where: { streamType: "post", streamId: String(theirs.postId) },
      orderBy: { streamVersion: "asc" },
      select: { streamVersion: true },
    });
    expect(versions.map((v) => v.streamVersion)).toEqual(versions.map((_, i) => i + 1));
  });

  it("answers 404 for a comment that is not on the given post", async () => {
    const { access_token } = await staff();
    const comment = await commentBy(staffId);
    expect((await remove(access_token, comment.postId + 1000, comment.id)).status).toBe(404);
    expect(await prisma.comment.count({ where: { id: comment.id } })).toBe(1);
  });

  it("refuses a machine client even with blog:write: it is nobody's author", async () => {
    const { clientId, clientSecret } = await registerClient(prisma, {
      name: "Moderation bot",
      grants: ["client_credentials"],
      scopes: ["blog:write"],
    });
    const bot = await discover(server, clientId, client.ClientSecretBasic(clientSecret ?? ""));
    const { access_token } = await client.clientCredentialsGrant(bot, { scope: "blog:write" });
    const comment = await commentBy(staffId);
    expect((await remove(access_token, comment.postId, comment.id)).status).toBe(403);
  });
});
