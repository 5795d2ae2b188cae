// Mutations: each parses its arguments with the core's zod schema, calls the core's command with
// the caller (the command authorizes), and answers a payload of the written view or user errors.
import { commentInput, postInput, postPatch } from "../../modules/blog/schemas.js";
import type { ProductInput } from "../../modules/catalog/commands.js";
import { productInputOf, productV2Input, productV2Patch } from "../../modules/catalog/schemas.js";
import { type StockMovementKind, stockEventTypes } from "../../modules/inventory/movements.js";
import { adjustment, idempotencyHeader } from "../../modules/inventory/schemas.js";
import type { GraphQLContext } from "../context.js";
import { idOf, toGlobalId } from "../global-id.js";
import { given, parseArgument } from "../input.js";
import { commentNode, postNode, productNode } from "../nodes.js";
import { payload } from "../payloads.js";

type Money = { amount: number; currency: string };
type ProductFields = { sku?: string; name?: string; description?: string; price?: Money; categoryId?: string };
type Input<T> = { input: T };

const idempotencyKey = idempotencyHeader.shape["idempotency-key"];

// The product fields with categoryId as the number the core takes.
function productBody({ categoryId, ...fields }: ProductFields) {
  return {
    ...given(fields),
    ...(categoryId == null ? {} : { categoryId: idOf("Category", categoryId, ["input", "categoryId"]) }),
  };
}

export const mutationResolvers = {
  StockMovementKind: Object.fromEntries(Object.keys(stockEventTypes).map((kind) => [kind.toUpperCase(), kind])),
  Mutation: {
    createProduct: (_: unknown, { input }: Input<ProductFields>, ctx: GraphQLContext) =>
      payload("product", () => {
        const body = parseArgument(productV2Input, productBody(input), ["input"]);
        return ctx.modules.catalog.commands.createProduct(ctx.actor, productInputOf(body) as ProductInput).then(productNode);
      }),
    updateProduct: (
      _: unknown,
      { input: { id, expectedVersion, ...fields } }: Input<ProductFields & { id: string; expectedVersion?: number | null }>,
      ctx: GraphQLContext,
    ) =>
      payload("product", () => {
        const productId = idOf("Product", id, ["input", "id"]);
        const patch = parseArgument(productV2Patch, productBody(fields), ["input"]);
        return ctx.modules.catalog.commands
          .updateProduct(ctx.actor, productId, productInputOf(patch), expectedVersion ?? undefined)
          .then(productNode);
      }),
    deleteProduct: (_: unknown, { input }: Input<{ id: string; expectedVersion?: number | null }>, ctx: GraphQLContext) =>
      payload("deletedId", async () => {
        const productId = idOf("Product", input.id, ["input", "id"]);
        await ctx.modules.catalog.commands.deleteProduct(ctx.actor, productId, input.expectedVersion ?? undefined);
        return toGlobalId("Product", productId);
      }),

    createPost: (_: unknown, args: { title: string; content: string }, ctx: GraphQLContext) =>
      payload("post", () => ctx.modules.blog.commands.createPost(ctx.actor, parseArgument(postInput, args, [])).then(postNode)),
    updatePost: (
      _: unknown,
      { input: { id, ...fields } }: Input<{ id: string; title?: string; content?: string }>,
      ctx: GraphQLContext,
    ) =>
      payload("post", () => {
        const postId = idOf("Post", id, ["input", "id"]);
        return ctx.modules.blog.commands
          .updatePost(ctx.actor, postId, parseArgument(postPatch, given(fields), ["input"]))
          .then(postNode);
      }),
    deletePost: (_: unknown, { input }: Input<{ id: string }>, ctx: GraphQLContext) =>
      payload("deletedId", async () => {
        const postId = idOf("Post", input.id, ["input", "id"]);
        await ctx.modules.blog.commands.deletePost(ctx.actor, postId);
        return toGlobalId("Post", postId);
      }),
    addComment: (
      _: unknown,
      { input }: Input<{ postId: string; text: string; idempotencyKey?: string | null }>,
      ctx: GraphQLContext,
    ) =>
      payload("comment", () => {
        const postId = idOf("Post", input.postId, ["input", "postId"]);
        const { text } = parseArgument(commentInput, { text: input.text }, ["input"]);
        const key = parseArgument(idempotencyKey, input.idempotencyKey ?? undefined, ["input", "idempotencyKey"]);
        return ctx.modules.blog.commands.addComment(ctx.actor, postId, text, { idempotencyKey: key }).then(commentNode);
      }),
    deleteComment: (_: unknown, { input }: Input<{ id: string }>, ctx: GraphQLContext) =>
      payload("deletedId", async () => {
        const commentId = idOf("Comment", input.id, ["input", "id"]);
        await ctx.modules.blog.commands.deleteComment(ctx.actor, commentId);
        return toGlobalId("Comment", commentId);
      }),

    adjustStock: (
      _: unknown,
      {
        input: { productId, idempotencyKey: key, ...movement },
      }: Input<{
        productId: string;
        kind: StockMovementKind;
        quantity: number;
        reason?: string | null;
        expectedVersion?: number | null;
        idempotencyKey?: string | null;
      }>,
      ctx: GraphQLContext,
    ) =>
      payload("stock", () => {
        const id = idOf("Product", productId, ["input", "productId"]);
        const checked = parseArgument(adjustment, given(movement), ["input"]);
        return ctx.modules.inventory.commands.moveStock(ctx.actor, {
          productId: id,
          ...checked,
          idempotencyKey: parseArgument(idempotencyKey, key ?? undefined, ["input", "idempotencyKey"]),
        });
      }),
  },
};
