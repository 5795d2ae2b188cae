import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { apiScopes, oidcScopes } from "../auth/scopes.js";
import type { Prisma } from "../db/prisma.js";
import { DomainError } from "../errors.js";
import { announceClientDeleted } from "./client-registry.js";

// Registered OAuth clients are rows of oidc_payloads (type "Client"), which oidc-provider reads
// through its adapter: a client created here works at once on every running instance.

type Db = Prisma.TransactionClient;

const httpUrl = z.url({ protocol: /^https?$/ }).refine((uri) => !uri.includes("#"), "must not contain a fragment");

// Client ids always contain a letter, so they can never be mistaken for a (numeric) user id.
const clientIdSchema = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9._-]{2,63}$/, "3-64 letters, digits, dots, dashes, underscores; starts with a letter");

export const clientInputSchema = z
  .object({
    clientId: clientIdSchema.optional(),
    name: z.string().trim().min(1).max(100),
    grants: z.array(z.enum(["client_credentials", "authorization_code"])).min(1),
    redirectUris: z.array(httpUrl).default([]),
    postLogoutRedirectUris: z.array(httpUrl).default([]),
    scopes: z.array(z.enum(apiScopes)).optional(),
    /** A public client (a browser or native app) has no secret and must use PKCE. */
    public: z.boolean().default(false),
  })
  .refine((c) => !c.grants.includes("authorization_code") || c.redirectUris.length > 0, {
    message: "authorization_code needs at least one --redirect-uri",
    path: ["redirectUris"],
  })
  .refine((c) => !(c.public && c.grants.includes("client_credentials")), {
    message: "client_credentials needs a confidential client (a public client has no secret)",
    path: ["public"],
  });

export type ClientInput = z.input<typeof clientInputSchema>;

export type ClientSummary = {
  clientId: string;
  name: string;
  grants: string[];
  redirectUris: string[];
  scopes: string[];
  public: boolean;
};

const readOnlyScopes = ["catalog:read", "inventory:read", "blog:read"];

/** SHA-256 of a secret, as stored: client secrets are 256 random bits, so a fast hash is enough (RFC 6819 §5.1.4.1.3). */
export function hashClientSecret(secret: string): string {
  return `sha256:${createHash("sha256").update(secret).digest("base64url")}`;
}

/** True when `secret` matches the stored hash; constant time. */
export function clientSecretMatches(storedHash: string, secret: string): boolean {
  const expected = Buffer.from(storedHash);
  const actual = Buffer.from(hashClientSecret(secret));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Registers a client; returns its id and, for a confidential client, the secret (shown once, stored hashed). */
export async function registerClient(db: Db, input: ClientInput): Promise<{ clientId: string; clientSecret: string | null }> {
  const parsed = clientInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new DomainError("ValidationFailed", `${issue?.path.join(".") || "client"}: ${issue?.message}`);
  }
  const c = parsed.data;
  const clientId = c.clientId ?? `client_${randomBytes(12).toString("base64url")}`;
  const clientSecret = c.public ? null : randomBytes(32).toString("base64url");
  const interactive = c.grants.includes("authorization_code");
  const scopes = c.scopes ?? (interactive ? [...apiScopes] : readOnlyScopes);
  const metadata = {
    client_id: clientId,
    client_name: c.name,
    application_type: "web",
    grant_types: interactive ? [...c.grants, "refresh_token"] : c.grants,
    response_types: interactive ? ["code"] : [],
    redirect_uris: interactive ? c.redirectUris : [],
    post_logout_redirect_uris: interactive ? c.postLogoutRedirectUris : [],
    // The most this client can ever obtain; the provider checks every request against it.
    scope: [...(interactive ? oidcScopes : []), ...scopes].join(" "),
    token_endpoint_auth_method: clientSecret ? "client_secret_basic" : "none",
    ...(clientSecret ? { client_secret: hashClientSecret(clientSecret) } : {}),
  };
  const inserted = await db.$executeRaw`
    INSERT INTO oidc_payloads (id, type, payload) VALUES (${clientId}, 'Client', ${JSON.stringify(metadata)}::jsonb)
    ON CONFLICT (id, type) DO NOTHING`;
  if (inserted === 0) throw new DomainError("Conflict", `A client with id ${clientId} already exists.`);
  return { clientId, clientSecret };
}

/** True when a client with this id is registered. */
export async function clientExists(db: Db, clientId: string): Promise<boolean> {
  return (await db.oidcPayload.count({ where: { id: clientId, type: "Client" } })) > 0;
}

/** Every registered client, without secrets. */
export async function listClients(db: Db): Promise<ClientSummary[]> {
  const rows = await db.oidcPayload.findMany({ where: { type: "Client" }, orderBy: { id: "asc" } });
  return rows.map(({ payload }) => {
    const m = payload as Record<string, unknown>;
    const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
    return {
      clientId: String(m.client_id),
      name: String(m.client_name ?? ""),
      grants: list(m.grant_types),
      redirectUris: list(m.redirect_uris),
      scopes: String(m.scope ?? "")
        .split(" ")
        .filter(Boolean),
      public: m.token_endpoint_auth_method === "none",
    };
  });
}

/**
 * Deletes a client and every grant, code and refresh token issued to it, and tells every running
 * server, which then refuses the client's access tokens too (see client-registry.ts).
 */
export async function deleteClient(db: Db, clientId: string): Promise<void> {
  const { count } = await db.oidcPayload.deleteMany({ where: { id: clientId, type: "Client" } });
  if (count === 0) throw new DomainError("NotFound", `No client has the id ${clientId}.`);
  await db.$executeRaw`DELETE FROM oidc_payloads WHERE payload->>'clientId' = ${clientId}`;
  await announceClientDeleted(db, clientId);
}
