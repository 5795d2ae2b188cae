import { useSyncExternalStore } from "react";
import type { StockLevel } from "../api/types";

// The freshest stock level the app knows per product. Levels come from REST pages and from the
// realtime `inventory` topic, in any order; a level only replaces one with a lower stream version,
// so a page fetched before an event can never put an older number back.

type Listener = () => void;

/** Per-product stock levels, newest version wins; observable per product. */
export class StockLevels {
  private readonly levels = new Map<number, StockLevel>();
  private readonly listeners = new Map<number, Set<Listener>>();

  /** Offers a level; kept only if newer than the one known. */
  offer(productId: number, level: StockLevel): void {
    const known = this.levels.get(productId);
    if (known && known.version >= level.version) return;
    this.levels.set(productId, level);
    for (const listener of this.listeners.get(productId) ?? []) listener();
  }

  get(productId: number): StockLevel | undefined {
    return this.levels.get(productId);
  }

  subscribe(productId: number, listener: Listener): () => void {
    let set = this.listeners.get(productId);
    if (!set) {
      set = new Set();
      this.listeners.set(productId, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }
}

/** The product's freshest level (re-renders when it changes). */
export function useStockLevel(levels: StockLevels, productId: number): StockLevel | undefined {
  return useSyncExternalStore(
    (listener) => levels.subscribe(productId, listener),
    () => levels.get(productId),
  );
}
