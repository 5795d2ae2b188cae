import { useEffect } from "react";
import type { RealtimeClient } from "../api/realtime";
import type { StockLevel } from "../api/types";
import type { StockLevels } from "./stock-levels";

/** What every inventory event carries: the level the movement left. */
type InventoryEventData = StockLevel & { productId: number };

/** Feeds the `inventory` topic (every product's stock movements) into `levels` while mounted; `reload` after a resync. */
export function useLiveInventory(realtime: RealtimeClient, levels: StockLevels, reload: () => void): void {
  useEffect(
    () =>
      realtime.watch("inventory", {
        onEvent: (frame) => {
          const data = frame.data as InventoryEventData;
          levels.offer(data.productId, data);
        },
        onResync: reload,
      }),
    [realtime, levels, reload],
  );
}
