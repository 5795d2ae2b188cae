import { ApolloProvider } from "@apollo/client/react";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { createApi } from "./api";
import { ServicesProvider } from "./app-context";
import { createOAuthClient } from "./auth/oauth";
import { Session } from "./auth/session";
import { handOverSilentCallback, isSilentCallbackFrame } from "./auth/silent";
import { StockLevels } from "./catalog/stock-levels";
import { appConfig } from "./config";
import { navigate } from "./router";
import "./styles/index.css";

function boot() {
  const tokens = { current: () => session.current(), renew: () => session.renew() };
  const api = createApi({ baseUrl: appConfig.apiBase, tokens });
  const oauth = createOAuthClient(appConfig, api.http.loggedFetch);
  const session = new Session({ oauth, loadMe: () => api.rest.me(), navigate: (url) => window.location.assign(url) });
  // The socket learns of a new token at once (sign-in, renewal), and of the network coming and going.
  session.subscribe(() => api.realtime.refreshToken());
  window.addEventListener("offline", () => api.realtime.connectionLost());
  window.addEventListener("online", () => api.realtime.reconnectNow());
  const root = document.getElementById("root");
  if (!root) throw new Error("no #root element");
  createRoot(root).render(
    <StrictMode>
      <ServicesProvider value={{ api, session, stock: new StockLevels() }}>
        <ApolloProvider client={api.graphql}>
          <App />
        </ApolloProvider>
      </ServicesProvider>
    </StrictMode>,
  );
  // Back from the provider: leave /callback (its code works once) for the page the user was on.
  void session.start(new URL(window.location.href)).then((returnTo) => {
    if (returnTo !== undefined) navigate(returnTo || "/", { replace: true });
  });
}

if (isSilentCallbackFrame()) handOverSilentCallback();
else boot();
