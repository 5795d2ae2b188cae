// Where the authorization server lives in our URL space. Kept apart from provider.ts so that
// importing a path does not load oidc-provider (which warns on import under Node 20).

/** Mount path of the provider; the issuer is `${PUBLIC_URL}${oauthMountPath}`. */
export const oauthMountPath = "/oauth";

/** The stylesheet of the sign-in pages. */
export const stylesheetPath = `${oauthMountPath}/assets/stockroom.css`;

/** Resource indicator (RFC 8707) and JWT audience of the REST/GraphQL/WebSocket API behind `publicUrl`. */
export const apiResourceFor = (publicUrl: string) => `${publicUrl}/api`;
