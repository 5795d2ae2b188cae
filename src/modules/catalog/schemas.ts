// The catalog's zod schemas: request validation, response shapes and OpenAPI, all from here.
import { z } from "zod";
import { stockSchema } from "../inventory/schemas.js";
import { moneyAmount, moneyAmountParam, pageLimitParam, recordId, recordIdParam, text } from "../shared/fields.js";
import type { ProductInput } from "./commands.js";

export const resourceId = recordIdParam();
export const idParams = z.object({ id: resourceId.meta({ description: "Numeric id", example: 1 }) });

const sku = text()
  .regex(/^[A-Z0-9][A-Z0-9-]{1,63}$/, "upper-case letters, digits and dashes, 2-64 characters")
  .meta({ example: "COF-ESP-250" });
const name = text().trim().min(1).max(200).meta({ example: "Espresso Blend 250 g" });
const description = text().max(5000).meta({ example: "Chocolate and cherry." });
const currency = text()
  .regex(/^[A-Z]{3}$/, "an ISO 4217 code")
  .meta({ example: "EUR" });
const slug = text()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "lower-case letters, digits and dashes")
  .meta({ example: "coffee" });
const timestamp = z.iso.datetime().meta({ example: "2026-11-25T03:00:00.000Z" });

export const moneySchema = z
  .object({
    amount: moneyAmount().meta({ description: "Integer minor units (cents)", example: 1290 }),
    currency,
  })
  .meta({ id: "Money" });

export const categorySchema = z
  .object({ id: z.number().int(), slug, name, description, createdAt: timestamp, updatedAt: timestamp })
  .meta({ id: "Category" });

export const categoryInput = z.strictObject({ slug, name, description: description.optional() }).meta({ id: "CategoryInput" });
export const categoryPatch = categoryInput.partial().meta({ id: "CategoryPatch" });

// v2 ------------------------------------------------------------------------------------------

export const productV2 = z
  .object({
    id: z.number().int().meta({ example: 1 }),
    sku,
    name,
    description,
    price: moneySchema,
    categoryId: z.number().int(),
    category: categorySchema.pick({ id: true, slug: true, name: true }).optional().meta({ description: "With include=category" }),
    stock: stockSchema,
    version: z.number().int().meta({ description: "Bumped by every change; the ETag derives from it", example: 1 }),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "ProductV2" });

export const productV2Fields = [
  "sku",
  "name",
  "description",
  "price",
  "categoryId",
  "category",
  "stock",
  "version",
  "createdAt",
  "updatedAt",
] as const;

export const productV2Sparse = productV2.partial().required({ id: true }).meta({
  id: "ProductV2Sparse",
  description: "A product; with fields= only the fields asked for (and id)",
});

export const productV2Input = z
  .strictObject({ sku, name, description: description.optional(), price: moneySchema, categoryId: recordId() })
  .meta({ id: "ProductV2Input" });
export const productV2Patch = productV2Input
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .meta({ id: "ProductV2Patch" });

/** The commands' input from a body with money as { amount, currency } (REST v2's and GraphQL's). */
export function productInputOf(body: z.infer<typeof productV2Input>): ProductInput;
export function productInputOf(body: z.infer<typeof productV2Patch>): Partial<ProductInput>;
export function productInputOf(body: z.infer<typeof productV2Patch>): Partial<ProductInput> {
  return {
    sku: body.sku,
    name: body.name,
    description: body.description,
    priceAmount: body.price?.amount,
    priceCurrency: body.price?.currency,
    categoryId: body.categoryId,
  };
}

const sortExpression = text()
  .regex(/^-?(price|name|sku|createdAt|id)(,-?(price|name|sku|createdAt|id)){0,4}$/, "comma-separated fields, - for descending")
  .meta({ example: "-price,name" });
const fieldList = text()
  .regex(
    new RegExp(`^(${productV2Fields.join("|")})(,(${productV2Fields.join("|")}))*$`),
    `comma-separated of ${productV2Fields.join(", ")}`,
  )
  .meta({ example: "name,price,stock" });
const booleanText = z.enum(["true", "false"]).transform((v) => v === "true");

export const productV2ListQuery = z.strictObject({
  limit: pageLimitParam(),
  cursor: text().max(1000).optional().meta({ description: "page.nextCursor or page.prevCursor of a previous page" }),
  category: resourceId.optional().meta({ description: "Only this category's products" }),
  q: text().trim().min(1).max(200).optional().meta({ description: "Text in name, description or SKU" }),
  inStock: booleanText.optional().meta({ description: "true: available stock > 0; false: none available" }),
  minPrice: moneyAmountParam().optional().meta({ description: "Minimum price, minor units" }),
  maxPrice: moneyAmountParam().optional().meta({ description: "Maximum price, minor units" }),
  sort: sortExpression.default("id"),
  fields: fieldList.optional(),
  include: z.enum(["category"]).optional(),
});

export const productV2Page = z
  .object({
    data: z.array(productV2Sparse),
    page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable(), prevCursor: z.string().nullable() }),
  })
  .meta({ id: "ProductV2Page" });

// v1 ------------------------------------------------------------------------------------------

const decimalPrice = text()
  .regex(/^\d{1,9}(\.\d{1,3})?$/, "a decimal string such as 12.90")
  .meta({ example: "12.90" });

export const productV1 = z
  .object({
    id: z.number().int(),
    sku,
    name,
    description,
    price: decimalPrice,
    currency,
    categoryId: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "ProductV1" });

export const productV1Input = z
  .strictObject({
    sku,
    name,
    description: description.optional(),
    price: decimalPrice,
    currency,
    categoryId: recordId(),
  })
  .meta({ id: "ProductV1Input" });
export const productV1Patch = productV1Input
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .meta({ id: "ProductV1Patch" });

export const pageQueryV1 = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageLimitParam(),
});

export const productV1Page = z
  .object({ count: z.number().int(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(productV1) })
  .meta({ id: "ProductV1Page" });

export const categoryV1Page = z
  .object({
    count: z.number().int(),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    results: z.array(categorySchema),
  })
  .meta({ id: "CategoryV1Page" });
export const categoryV2Page = z.object({ data: z.array(categorySchema) }).meta({ id: "CategoryV2Page" });

export const conditionalHeaders = z.object({
  "if-match": text().optional().meta({
    description:
      'ETag(s) from a previous read of the product, e.g. "v3-5f0c…" (a list matches if any does; weak tags never match); a product changed since answers 412',
  }),
});
