// The scopes Stockroom's API understands and which of them each role may grant. The authorization
// server (consent) and the token verifier both read this table, so they can never disagree.

/** OpenID Connect scopes (OIDC Core §5.4 and §11); they say what the client learns, not what it may do. */
export const oidcScopes = ["openid", "profile", "email", "offline_access"] as const;

/** Scopes of the API resource server (`${PUBLIC_URL}/api`). */
export const apiScopes = [
  "catalog:read",
  "catalog:write",
  "inventory:read",
  "inventory:write",
  "blog:read",
  "blog:write",
  "admin",
] as const;

export type ApiScope = (typeof apiScopes)[number];
export type Role = "customer" | "staff" | "admin";

const customerScopes: readonly ApiScope[] = ["catalog:read", "inventory:read", "blog:read", "blog:write"];
const staffScopes: readonly ApiScope[] = [...customerScopes, "catalog:write", "inventory:write"];

const grantableByRole: Record<Role, readonly ApiScope[]> = {
  customer: customerScopes,
  staff: staffScopes,
  admin: apiScopes,
};

/** Human descriptions shown on the consent page. */
export const scopeDescriptions: Record<string, string> = {
  openid: "Know who you are",
  profile: "See your username",
  email: "See your email address",
  offline_access: "Stay signed in (refresh tokens) until you sign out",
  "catalog:read": "Read the product catalog",
  "catalog:write": "Create and change products and categories",
  "inventory:read": "See stock levels",
  "inventory:write": "Receive, adjust and reserve stock",
  "blog:read": "Read posts and comments",
  "blog:write": "Write comments and delete your own",
  admin: "Administer Stockroom",
};

/** True when `role` is one of ours (a token or a row could carry anything). */
export function isRole(role: unknown): role is Role {
  return typeof role === "string" && Object.hasOwn(grantableByRole, role);
}

/** API scopes a user holding `roles` may grant to a client (the union over the roles). */
export function scopesGrantableBy(roles: readonly string[]): Set<ApiScope> {
  return new Set(roles.filter(isRole).flatMap((role) => grantableByRole[role]));
}

/** True when `scope` is one of the API scopes. */
export function isApiScope(scope: string): scope is ApiScope {
  return (apiScopes as readonly string[]).includes(scope);
}
