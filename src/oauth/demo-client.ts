import type { Prisma } from "../db/prisma.js";
import { docsClientId, swaggerRedirectPath } from "../rest/openapi.js";

// The seeded public client of the React app and of Swagger UI's "Authorize". Its redirect URIs
// name the server's own origin, so they must follow PUBLIC_URL: the same data folder started on
// another port or behind another host name would otherwise answer "redirect_uri did not match".

type Db = Prisma.TransactionClient;

/** The public OAuth client of the React app (authorization code + PKCE, no secret); Swagger UI signs in with it too. */
export const demoWebClientId = docsClientId;

/** Where the React client (Vite dev server, or served by us) and Swagger UI's "Authorize" receive the authorization response. */
export function demoWebClientRedirectUris(publicUrl: string): string[] {
  return [...new Set(["http://localhost:5173/callback", `${publicUrl}/callback`, `${publicUrl}${swaggerRedirectPath}`])];
}

/** Where the React client may send the browser after sign-out. */
export function demoWebClientPostLogoutUris(publicUrl: string): string[] {
  return [...new Set(["http://localhost:5173/", `${publicUrl}/`])];
}

/**
 * Points the demo client's redirect and post-logout URIs at `publicUrl`; returns whether anything
 * changed. Only that one client, and only if it exists: a client an operator deleted stays deleted.
 */
export async function followPublicUrl(db: Db, publicUrl: string): Promise<boolean> {
  const changed = await db.$executeRaw`
    UPDATE oidc_payloads
       SET payload = payload || jsonb_build_object(
             'redirect_uris', ${JSON.stringify(demoWebClientRedirectUris(publicUrl))}::jsonb,
             'post_logout_redirect_uris', ${JSON.stringify(demoWebClientPostLogoutUris(publicUrl))}::jsonb)
     WHERE id = ${demoWebClientId} AND type = 'Client'
       AND (payload->'redirect_uris' IS DISTINCT FROM ${JSON.stringify(demoWebClientRedirectUris(publicUrl))}::jsonb
         OR payload->'post_logout_redirect_uris' IS DISTINCT FROM ${JSON.stringify(demoWebClientPostLogoutUris(publicUrl))}::jsonb)`;
  return changed > 0;
}
