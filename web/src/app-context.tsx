import { createContext, useContext, useSyncExternalStore } from "react";
import type { Api } from "./api";
import type { Session, SessionState } from "./auth/session";
import type { StockLevels } from "./catalog/stock-levels";

/** What every page uses: the API module, the session and the live stock levels. */
export type AppServices = { api: Api; session: Session; stock: StockLevels };

const Services = createContext<AppServices | undefined>(undefined);

export const ServicesProvider = Services.Provider;

/** The app's services (inside `ServicesProvider`). */
export function useServices(): AppServices {
  const services = useContext(Services);
  if (!services) throw new Error("useServices outside ServicesProvider");
  return services;
}

/** The session's state; re-renders when it changes. */
export function useSession(): SessionState {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.snapshot);
}
