import { type DependencyList, useCallback, useEffect, useState } from "react";

export type AsyncState<T> =
  | { status: "loading"; data?: T }
  | { status: "ready"; data: T }
  | { status: "error"; error: unknown; data?: T };

/**
 * Runs `load` whenever `deps` change (aborting the previous run) and on `reload()`. While a new
 * run loads, the previous data stays available, so a page does not flash empty between pages.
 */
export function useAsync<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList) {
  const [state, setState] = useState<AsyncState<T>>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's deps decide when to load again
  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ status: "loading", data: previous.data }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ status: "ready", data }),
      (error: unknown) => !controller.signal.aborted && setState((previous) => ({ status: "error", error, data: previous.data })),
    );
    return () => controller.abort();
  }, [...deps, attempt]);
  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
