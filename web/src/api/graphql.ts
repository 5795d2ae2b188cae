import { ApolloClient, HttpLink, InMemoryCache } from "@apollo/client";
import type { Http, TokenSource } from "./http";

// GraphQL goes through Apollo Client, over the API module's logged fetch: the access token on
// the Authorization header (renewed once on a 401, as REST does), and each operation in the
// request log under its name.

/** The name in a GraphQL request body, for the request log ("GraphQL GetPosts"). */
function operationOf(init: RequestInit | undefined): string {
  try {
    const name = (JSON.parse(String(init?.body)) as { operationName?: string }).operationName;
    return name ? `GraphQL ${name}` : "GraphQL";
  } catch {
    return "GraphQL";
  }
}

function withToken(init: RequestInit | undefined, token: string | undefined): RequestInit {
  const headers = new Headers(init?.headers);
  if (token) headers.set("authorization", `Bearer ${token}`);
  else headers.delete("authorization");
  return { ...init, headers };
}

/** fetch() for Apollo's HttpLink: adds the session's token and logs each operation. */
export function graphqlFetch(http: Http, tokens: TokenSource | undefined): typeof fetch {
  return async (input, init) => {
    const send = http.loggedFetch(operationOf(init));
    const token = tokens?.current();
    const response = await send(input, withToken(init, token));
    if (response.status !== 401 || !token || !tokens) return response;
    const renewed = await tokens.renew();
    return renewed ? send(input, withToken(init, renewed)) : response;
  };
}

/** The app's Apollo Client for `/graphql` on `baseUrl`. */
export function createGraphQLClient(options: { baseUrl: string; http: Http; tokens?: TokenSource }) {
  return new ApolloClient({
    link: new HttpLink({ uri: new URL("/graphql", options.baseUrl).href, fetch: graphqlFetch(options.http, options.tokens) }),
    cache: new InMemoryCache(),
    // Apollo would add the library's name to every request body (extensions.clientLibrary): the
    // server has no use for it, and the contracts describe the operations the client sends.
    enhancedClientAwareness: { transport: false },
  });
}
