// Starts GraphiQL on /graphql: queries and mutations over HTTP, subscriptions over graphql-ws on
// the same path. The Headers tab is sent with every request, and as connectionParams of the socket.
// scripts/build-explorer.mjs bundles this file with GraphiQL and React into browser.js (GraphiQL's
// own browser build is made for React 18's internals and fails on React 19).
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

(() => {
  var http = new URL(document.body.dataset.endpoint, location.href);
  var socket = new URL(http);
  socket.protocol = http.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = createGraphiQLFetcher({ url: http.href, subscriptionUrl: socket.href });
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
  createRoot(document.getElementById("graphiql")).render(
    createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: "headers",
    }),
  );
})();
