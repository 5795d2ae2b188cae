// Starts GraphiQL on /graphql: queries and mutations over HTTP, subscriptions over graphql-ws on
// the same path. The Headers tab is sent with every request, and as connectionParams of the socket.
/* global GraphiQL, React, ReactDOM */
(() => {
  var http = new URL(document.body.dataset.endpoint, location.href);
  var socket = new URL(http);
  socket.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({ url: http.href, subscriptionUrl: socket.href });
  var defaultQuery = [
    "# Stockroom's GraphQL API. Reads are public; writes need an access token:",
    '# sign in with "Authorize" on /docs, copy the token from a request there, and put',
    '# {"Authorization": "Bearer <token>"} in the Headers tab below.',
    "",
    "query GetPosts {",
    "  posts {",
    "    id",
    "    title",
    "    content",
    "    createdAt",
    "    author {",
    "      username",
    "    }",
    "  }",
    "}",
    "",
  ].join("\n");
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    }),
  );
})();
