import { type Actor, hasScopes, isStaff } from "../../auth/actor.js";
import { Prisma, type PrismaClient } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { appendToStream } from "../../events/append.js";
import { productSnapshot, productStream } from "./events.js";
import { type CategoryView, type ProductView, productColumns } from "./queries.js";

export type ProductInput = {
  sku: string;
  name: string;
  description?: string;
  priceAmount: number;
  priceCurrency: string;
  categoryId: number;
};

function translateWriteError(error: unknown, input: Partial<ProductInput>): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      throw new DomainError("Conflict", `A product with SKU ${input.sku} already exists.`, [
        { detail: "already taken", pointer: "#/sku" },
      ]);
    }
    if (error.code === "P2003") {
      throw new DomainError("ValidationFailed", `Category ${input.categoryId} does not exist.`, [
        { detail: "no such category", pointer: "#/categoryId" },
      ]);
    }
  }
  throw error;
}

function requireStaffOrAdminClient(actor: Actor, action: string): void {
  if (!isStaff(actor) && !hasScopes(actor, "admin")) throw new DomainError("Forbidden", `Only staff may ${action}.`);
}

export type CategoryInput = { slug: string; name: string; description?: string };

function translateCategoryError(error: unknown, input: Partial<CategoryInput>): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    throw new DomainError("Conflict", `A category with slug ${input.slug} already exists.`, [
      { detail: "already taken", pointer: "#/slug" },
    ]);
  }
  throw error;
}

/** Write side of the catalog: each change and its broadcast event commit together. */
export function createCatalogCommands(prisma: PrismaClient) {
  return {
    /** Creates a category. */
    createCategory(_actor: Actor, input: CategoryInput): Promise<CategoryView> {
      return prisma.category
        .create({ data: { ...input, description: input.description ?? "" } })
        .catch((error) => translateCategoryError(error, input));
    },

    /** Changes a category, or NotFound. */
    async updateCategory(_actor: Actor, id: number, patch: Partial<CategoryInput>): Promise<CategoryView> {
      const { count } = await prisma.category
        .updateMany({ where: { id }, data: patch })
        .catch((error) => translateCategoryError(error, patch));
      if (count === 0) throw new DomainError("NotFound", `Category ${id} does not exist.`);
      return prisma.category.findUniqueOrThrow({ where: { id } });
    },

    /** Deletes an empty category (staff only); one that still has products is a Conflict. */
    async deleteCategory(actor: Actor, id: number): Promise<void> {
      requireStaffOrAdminClient(actor, "delete categories");
      const { count } = await prisma.category.deleteMany({ where: { id } }).catch((error: unknown) => {
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") {
          throw new DomainError("Conflict", `Category ${id} still has products; move or delete them first.`);
        }
        throw error;
      });
      if (count === 0) throw new DomainError("NotFound", `Category ${id} does not exist.`);
    },

    /** Creates a product with an empty stock level; appends ProductCreated. */
    async createProduct(actor: Actor, input: ProductInput): Promise<ProductView> {
      return prisma
        .$transaction(async (tx) => {
          const product = await tx.product.create({
            data: { ...input, description: input.description ?? "", stockLevel: { create: {} } },
            select: productColumns,
          });
          await appendToStream(tx, {
            streamType: productStream,
            streamId: String(product.id),
            type: "ProductCreated",
            data: productSnapshot(product),
            actor,
          });
          return product;
        })
        .catch((error) => translateWriteError(error, input));
    },

    /**
     * Changes a product. With `expectedVersion` (from If-Match) a product changed since is refused
     * with PreconditionFailed; the version is bumped either way. Appends ProductUpdated.
     */
    async updateProduct(actor: Actor, id: number, patch: Partial<ProductInput>, expectedVersion?: number): Promise<ProductView> {
      return prisma
        .$transaction(async (tx) => {
          const { count } = await tx.product.updateMany({
            where: { id, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) },
            data: { ...patch, version: { increment: 1 } },
          });
          if (count === 0) {
            const exists = await tx.product.findUnique({ where: { id }, select: { version: true } });
            if (!exists) throw new DomainError("NotFound", `Product ${id} does not exist.`);
            throw new DomainError("PreconditionFailed", `Product ${id} is at version ${exists.version}, not ${expectedVersion}.`);
          }
          const product = await tx.product.findUniqueOrThrow({ where: { id }, select: productColumns });
          await appendToStream(tx, {
            streamType: productStream,
            streamId: String(id),
            type: "ProductUpdated",
            data: productSnapshot(product),
            actor,
          });
          return product;
        })
        .catch((error) => translateWriteError(error, patch));
    },

    /** Deletes a product (staff only) with its stock level; its inventory events stay in the log. Appends ProductDeleted. */
    async deleteProduct(actor: Actor, id: number, expectedVersion?: number): Promise<void> {
      requireStaffOrAdminClient(actor, "delete products");
      await prisma.$transaction(async (tx) => {
        const { count } = await tx.product.deleteMany({
          where: { id, ...(expectedVersion !== undefined ? { version: expectedVersion } : {}) },
        });
        if (count === 0) {
          const exists = await tx.product.findUnique({ where: { id }, select: { version: true } });
          if (!exists) throw new DomainError("NotFound", `Product ${id} does not exist.`);
          throw new DomainError("PreconditionFailed", `Product ${id} is at version ${exists.version}, not ${expectedVersion}.`);
        }
        await appendToStream(tx, {
          streamType: productStream,
          streamId: String(id),
          type: "ProductDeleted",
          data: { id },
          actor,
        });
      });
    },
  };
}

export type CatalogCommands = ReturnType<typeof createCatalogCommands>;
