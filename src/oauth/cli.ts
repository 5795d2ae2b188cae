import { parseArgs } from "node:util";
import type { PrismaClient } from "../db/prisma.js";
import { DomainError } from "../errors.js";
import { type ClientInput, deleteClient, listClients, registerClient } from "./clients.js";
import { loadSigningKeys, rotateSigningKey } from "./keys.js";

// `npm run oauth -- <command>`: register and remove OAuth clients, rotate signing keys.
// Output goes to `out` (stdout); with --json it is one JSON document, for scripts.

export const oauthUsage = `usage: npm run oauth -- <command> [options]

  client:create --name <name> --grant client_credentials|authorization_code [--grant …]
                [--redirect-uri <url> …] [--post-logout-redirect-uri <url> …]
                [--scopes "<scope> …"] [--public] [--client-id <id>] [--json]
      Registers a client and prints its id and, for a confidential client, its secret (once).
  client:list [--json]          Lists registered clients (never their secrets).
  client:delete <client_id>     Deletes a client, its grants and refresh tokens; its access tokens stop working.
  keys:rotate [--json]          New signing key signs from now on; old keys verify for 24 h more.
  keys:list [--json]            Lists signing keys and their state.
`;

const options = {
  name: { type: "string" },
  grant: { type: "string", multiple: true },
  "redirect-uri": { type: "string", multiple: true },
  "post-logout-redirect-uri": { type: "string", multiple: true },
  scopes: { type: "string" },
  public: { type: "boolean" },
  "client-id": { type: "string" },
  json: { type: "boolean" },
} as const;

type Output = { write(text: string): void };

/** Runs one command; returns the process exit code (64 for a usage error, as sysexits.h). */
export async function runOAuthCommand(argv: string[], prisma: PrismaClient, out: Output, err: Output): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    err.write(`${(error as Error).message}\n\n${oauthUsage}`);
    return 64;
  }
  const { values: v, positionals } = parsed;
  const [command, ...rest] = positionals;
  const print = (json: unknown, text: string) => out.write(v.json ? `${JSON.stringify(json)}\n` : text);
  try {
    switch (command) {
      case "client:create": {
        const input: ClientInput = {
          name: v.name ?? "",
          grants: (v.grant ?? []) as ClientInput["grants"],
          redirectUris: v["redirect-uri"] ?? [],
          postLogoutRedirectUris: v["post-logout-redirect-uri"] ?? [],
          scopes: v.scopes?.split(/[\s,]+/).filter(Boolean) as ClientInput["scopes"],
          public: v.public ?? false,
          clientId: v["client-id"],
        };
        const { clientId, clientSecret } = await registerClient(prisma, input);
        print(
          { client_id: clientId, client_secret: clientSecret },
          `Registered client "${input.name}".\nclient_id:     ${clientId}\n${
            clientSecret
              ? `client_secret: ${clientSecret}\nThe secret is shown only now and stored hashed: keep it safe.\n`
              : "public client: no secret, PKCE required\n"
          }`,
        );
        return 0;
      }
      case "client:list": {
        const clients = await listClients(prisma);
        const lines = clients.map(
          (c) =>
            `${c.clientId}  ${JSON.stringify(c.name)}  ${c.public ? "public" : "confidential"}  grants=${c.grants.join(",")}  scopes=${c.scopes.join(",")}${
              c.redirectUris.length ? `  redirect_uris=${c.redirectUris.join(",")}` : ""
            }\n`,
        );
        print(clients, lines.join("") || "No clients registered.\n");
        return 0;
      }
      case "client:delete": {
        const [clientId] = rest;
        if (!clientId) throw new DomainError("ValidationFailed", "client:delete needs the client_id to delete");
        await deleteClient(prisma, clientId);
        print({ deleted: clientId }, `Deleted client ${clientId} with its grants and refresh tokens.\n`);
        return 0;
      }
      case "keys:rotate": {
        const { kid, retired, verifyUntil } = await rotateSigningKey(prisma);
        print(
          { kid, retired, verifyUntil: verifyUntil.toISOString() },
          `Signing key ${kid} signs from now on.\n${
            retired.length ? `Retired ${retired.join(", ")}: they verify until ${verifyUntil.toISOString()}.\n` : ""
          }Running servers switch within OAUTH_KEY_REFRESH_SECONDS.\n`,
        );
        return 0;
      }
      case "keys:list": {
        const keys = (await loadSigningKeys(prisma)).map((k) => ({
          kid: k.kid,
          state: k.retiredAt ? "retired" : "signing",
          createdAt: k.createdAt.toISOString(),
          verifyUntil: k.expiresAt?.toISOString() ?? null,
        }));
        print(
          keys,
          keys
            .map(
              (k) => `${k.kid}  ${k.state}  created ${k.createdAt}${k.verifyUntil ? `  verifies until ${k.verifyUntil}` : ""}\n`,
            )
            .join(""),
        );
        return 0;
      }
      default:
        err.write(`${command ? `unknown command ${command}\n\n` : ""}${oauthUsage}`);
        return 64;
    }
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    err.write(`stockroom: ${error.message}\n`);
    return error.code === "ValidationFailed" ? 64 : 1;
  }
}
