import { z } from "zod";

/** Stock as every API shows it (embedded in v2 products, and on its own). */
export const stockSchema = z
  .object({
    onHand: z.number().int().meta({ example: 40 }),
    reserved: z.number().int().meta({ example: 2 }),
    available: z.number().int().meta({ example: 38 }),
    version: z.number().int().meta({ description: "Version of the product's inventory stream", example: 7 }),
  })
  .meta({ id: "Stock" });
