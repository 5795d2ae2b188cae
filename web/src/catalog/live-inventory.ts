import { useEffect } from "react";
import type { RealtimeClient, TopicWatcher } from "../api/realtime";
import type { StockLevel } from "../api/types";
import type { StockLevels } from "./stock-levels";

/** What every inventory event carries: the level the movement left. */
export type InventoryEventData = StockLevel & { productId: number };

/** The watcher of the `inventory` topic: each event's level goes to `levels`; `reload` after a resync. */
export function inventoryWatcher(levels: StockLevels, reload: () => void): TopicWatcher {
  return {
    onEvent: (frame) => {
      const data = frame.data as InventoryEventData;
      levels.offer(data.productId, data);
    },
    onResync: reload,
  };
}

/** Feeds the `inventory` topic (every product's stock movements) into `levels` while mounted. */
export function useLiveInventory(realtime: RealtimeClient, levels: StockLevels, reload: () => void): void {
  useEffect(() => realtime.watch("inventory", inventoryWatcher(levels, reload)), [realtime, levels, reload]);
}
