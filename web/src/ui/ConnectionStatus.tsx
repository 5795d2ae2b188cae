import { useSyncExternalStore } from "react";
import { useServices } from "../app-context";

const labels = { connecting: "Connecting…", live: "Live", reconnecting: "Reconnecting…" } as const;

/** Whether live updates are flowing: `live`, or `reconnecting` after the connection dropped. */
export function ConnectionStatus() {
  const { api } = useServices();
  const status = useSyncExternalStore(api.realtime.onStatus, api.realtime.status);
  return (
    <p className={`connection connection--${status}`} aria-live="polite">
      <span className="connection__dot" aria-hidden="true" />
      <span className="visually-hidden">Live updates: </span>
      <span data-testid="connection-status" className="visually-hidden">
        {status}
      </span>
      <span aria-hidden="true">{labels[status]}</span>
    </p>
  );
}
