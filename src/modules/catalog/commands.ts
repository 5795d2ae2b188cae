import { type Actor, hasScopes, isStaff } from "../../auth/actor.js";
import { Prisma } from "../../db/prisma.js";
import { DomainError } from "../../errors.js";
import { appendToStream, lockStream } from "../../events/append.js";
import { authorize } from "../shared/authorize.js";
import type { CommandRunner } from "../shared/command-runner.js";
import { productSnapshot, productStream } from "./events.js";
import { type CategoryView, type ProductWithStock, withStock } from "./views.js";

export type ProductInput = {
  sku: string;
  name: string;
  description?: string;
  priceAmount: number;
  priceCurrency: string;
  categoryId: number;
};

/** The version(s) a conditional write requires: one, or any of several (an If-Match list). */
export type ExpectedVersion = number | readonly number[];

const versionCondition = (expected: ExpectedVersion | undefined) =>
  expected === undefined ? {} : { version: typeof expected === "number" ? expected : { in: [...expected] } };

const describeVersions = (expected: ExpectedVersion | undefined) =>
  typeof expected === "number"
    ? String(expected)
    : expected?.length
      ? `any of ${expected.join(", ")}`
      : "a version named in If-Match";

function translateWriteError(error: unknown, input: Partial<ProductInput>): never {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === "P2002") {
      throw new DomainError("Conflict", `A product with SKU ${input.sku} already exists.`, [
        { detail: "already taken", field: ["sku"] },
      ]);
    }
    if (error.code === "P2003") {
      throw new DomainError("ValidationFailed", `Category ${input.categoryId} does not exist.`, [
        { detail: "no such category", field: ["categoryId"] },
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
      { detail: "already taken", field: ["slug"] },
    ]);
  }
  throw error;
}

/** Write side of the catalog (scope catalog:write): each change and its broadcast event commit together. */
export function createCatalogCommands(runner: CommandRunner) {
  return {
    /** Creates a category. */
    async createCategory(caller: Actor | undefined, input: CategoryInput): Promise<CategoryView> {
      authorize(caller, "catalog:write");
      return runner
        .transaction((tx) => tx.category.create({ data: { ...input, description: input.description ?? "" } }))
        .catch((error) => translateCategoryError(error, input));
    },

    /** Changes a category, or NotFound. */
    async updateCategory(caller: Actor | undefined, id: number, patch: Partial<CategoryInput>): Promise<CategoryView> {
      authorize(caller, "catalog:write");
      return runner
        .transaction(async (tx) => {
          const { count } = await tx.category.updateMany({ where: { id }, data: patch });
          if (count === 0) throw new DomainError("NotFound", `Category ${id} does not exist.`);
          return tx.category.findUniqueOrThrow({ where: { id } });
        })
        .catch((error) => translateCategoryError(error, patch));
    },

    /** Deletes an empty category (staff only); one that still has products is a Conflict. */
    async deleteCategory(caller: Actor | undefined, id: number): Promise<void> {
      const actor = authorize(caller, "catalog:write");
      requireStaffOrAdminClient(actor, "delete categories");
      const { count } = await runner
        .transaction((tx) => tx.category.deleteMany({ where: { id } }))
        .catch((error: unknown) => {
          if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2003") {
            throw new DomainError("Conflict", `Category ${id} still has products; move or delete them first.`);
          }
          throw error;
        });
      if (count === 0) throw new DomainError("NotFound", `Category ${id} does not exist.`);
    },

    /** Creates a product with an empty stock level; appends ProductCreated. */
    async createProduct(caller: Actor | undefined, input: ProductInput): Promise<ProductWithStock> {
      const actor = authorize(caller, "catalog:write");
      return runner
        .transaction(async (tx) => {
          const product = await tx.product.create({
            data: { ...input, description: input.description ?? "", stockLevel: { create: {} } },
            include: { stockLevel: true },
          });
          await appendToStream(tx, {
            streamType: productStream,
            streamId: String(product.id),
            type: "ProductCreated",
            data: productSnapshot(product),
            actor,
          });
          return withStock(product);
        })
        .catch((error) => translateWriteError(error, input));
    },

    /**
     * Changes a product. With `expectedVersion` (from If-Match: one version, or any of several) a product changed since is refused
     * with PreconditionFailed; the version is bumped either way. Appends ProductUpdated.
     */
    async updateProduct(
      caller: Actor | undefined,
      id: number,
      patch: Partial<ProductInput>,
      expectedVersion?: ExpectedVersion,
    ): Promise<ProductWithStock> {
      const actor = authorize(caller, "catalog:write");
      return runner
        .transaction(async (tx) => {
          await lockStream(tx, productStream, String(id));
          const { count } = await tx.product.updateMany({
            where: { id, ...versionCondition(expectedVersion) },
            data: { ...patch, version: { increment: 1 } },
          });
          if (count === 0) {
            const exists = await tx.product.findUnique({ where: { id }, select: { version: true } });
            if (!exists) throw new DomainError("NotFound", `Product ${id} does not exist.`);
            throw new DomainError(
              "PreconditionFailed",
              `Product ${id} is at version ${exists.version}, not ${describeVersions(expectedVersion)}.`,
            );
          }
          const product = await tx.product.findUniqueOrThrow({ where: { id }, include: { stockLevel: true } });
          await appendToStream(tx, {
            streamType: productStream,
            streamId: String(id),
            type: "ProductUpdated",
            data: productSnapshot(product),
            actor,
          });
          return withStock(product);
        })
        .catch((error) => translateWriteError(error, patch));
    },

    /** Deletes a product (staff only) with its stock level; its inventory events stay in the log. Appends ProductDeleted. */
    async deleteProduct(caller: Actor | undefined, id: number, expectedVersion?: ExpectedVersion): Promise<void> {
      const actor = authorize(caller, "catalog:write");
      requireStaffOrAdminClient(actor, "delete products");
      await runner.transaction(async (tx) => {
        await lockStream(tx, productStream, String(id));
        const { count } = await tx.product.deleteMany({
          where: { id, ...versionCondition(expectedVersion) },
        });
        if (count === 0) {
          const exists = await tx.product.findUnique({ where: { id }, select: { version: true } });
          if (!exists) throw new DomainError("NotFound", `Product ${id} does not exist.`);
          throw new DomainError(
            "PreconditionFailed",
            `Product ${id} is at version ${exists.version}, not ${describeVersions(expectedVersion)}.`,
          );
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
