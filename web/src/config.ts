// Where things are. Served by Stockroom, everything is this page's origin. Under Vite's dev
// server (:5173) the app's own calls go through its proxy, but the sign-in and the API's token
// audience belong to the Stockroom origin the proxy points at (its PUBLIC_URL).

// MODE, not DEV: DEV follows NODE_ENV, which a test runner may set while building for production.
const stockroomOrigin =
  import.meta.env.MODE === "development"
    ? (import.meta.env.VITE_STOCKROOM_URL ?? "http://localhost:3000")
    : window.location.origin;

/** This app's settings, read once. */
export const appConfig = {
  /** Base of the app's own calls (REST, GraphQL, WebSocket). */
  apiBase: window.location.origin,
  /** The OAuth issuer: Stockroom's embedded provider. */
  issuer: `${stockroomOrigin}/oauth`,
  /** RFC 8707 resource indicator: tokens minted for it are the API's JWTs. */
  resource: `${stockroomOrigin}/api`,
  /** The seeded public client (authorization code + PKCE, no secret). */
  clientId: "stockroom-web",
  redirectUri: `${window.location.origin}/callback`,
  postLogoutRedirectUri: `${window.location.origin}/`,
  /** A customer's consent leaves out what the role cannot grant (catalog:write, inventory:write). */
  scope: "openid profile offline_access catalog:read inventory:read inventory:write blog:read blog:write",
} as const;
