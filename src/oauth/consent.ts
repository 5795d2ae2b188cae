import type { Provider } from "oidc-provider";
import { isApiScope, oidcScopes, type Role, scopesGrantableBy } from "../auth/scopes.js";

type Interaction = Awaited<ReturnType<Provider["interactionDetails"]>>;

/** What a consent grants: OIDC scopes and claims, and per resource the API scopes granted and refused. */
export type ConsentPlan = {
  oidcScopes: string[];
  /** API scopes also count as provider scopes (see provider.ts); they are granted per resource only. */
  notOidcScopes: string[];
  oidcClaims: string[];
  resources: { indicator: string; granted: string[]; refused: string[] }[];
};

type MissingDetails = {
  missingOIDCScope?: string[];
  missingOIDCClaims?: string[];
  missingResourceScopes?: Record<string, string[]>;
};

/**
 * Splits what the client asks for into what the user's role may grant and what it may not
 * (a customer never grants catalog:write). Always computed from the interaction and the user
 * as stored, never from the submitted form.
 */
export function planConsent(interaction: Interaction, role: Role): ConsentPlan {
  const missing = interaction.prompt.details as MissingDetails;
  const grantable: Set<string> = scopesGrantableBy([role]);
  const isOidc = (scope: string) => (oidcScopes as readonly string[]).includes(scope);
  return {
    oidcScopes: (missing.missingOIDCScope ?? []).filter(isOidc),
    notOidcScopes: (missing.missingOIDCScope ?? []).filter((scope) => !isOidc(scope)),
    oidcClaims: missing.missingOIDCClaims ?? [],
    resources: Object.entries(missing.missingResourceScopes ?? {}).map(([indicator, scopes]) => ({
      indicator,
      granted: scopes.filter((scope) => isApiScope(scope) && grantable.has(scope)),
      refused: scopes.filter((scope) => !isApiScope(scope) || !grantable.has(scope)),
    })),
  };
}

/**
 * Records the consent in the interaction's grant (creating it on first consent) and returns its id.
 * Refused scopes are recorded as rejected, so the provider does not ask for them again and
 * leaves them out of every token (oidc-provider `Grant#rejectResourceScope`).
 */
export async function saveConsent(
  provider: Provider,
  interaction: Interaction,
  accountId: string,
  plan: ConsentPlan,
): Promise<string> {
  const clientId = String(interaction.params.client_id);
  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  if (plan.oidcScopes.length > 0) grant.addOIDCScope(plan.oidcScopes.join(" "));
  // Marked as seen, so the provider stops asking; they reach tokens only through the resource grant below.
  if (plan.notOidcScopes.length > 0) grant.rejectOIDCScope(plan.notOidcScopes.join(" "));
  if (plan.oidcClaims.length > 0) grant.addOIDCClaims(plan.oidcClaims);
  for (const { indicator, granted, refused } of plan.resources) {
    if (granted.length > 0) grant.addResourceScope(indicator, granted.join(" "));
    if (refused.length > 0) grant.rejectResourceScope(indicator, refused.join(" "));
  }
  return grant.save();
}
