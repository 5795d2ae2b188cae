import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp } from "../helpers/app.js";
import { createTestDatabase } from "../helpers/database.js";
import { databaseFingerprint } from "../helpers/fingerprint.js";
import { type IdentityServer, startIdentityServer } from "../helpers/oauth.js";
import { customerToken, machineToken, staffToken } from "../helpers/tokens.js";
import { dataOf, type GraphQLResponse, graphql } from "./helpers.js";

// Writes through GraphQL run the core's commands: the same authorization, validation, events and
// cache invalidation as REST. Tokens come from the real provider of a listening server.
let server: IdentityServer;
let t: Awaited<ReturnType<typeof createTestApp>>;
let url: string;
let staff: string;
let customer: string;
let warehouse: string;

beforeAll(async () => {
  const db = await createTestDatabase();
  url = db.url;
  server = await startIdentityServer(db.url);
  t = await createTestApp(db.url, { env: { PUBLIC_URL: server.publicUrl } });
  staff = await staffToken(server, "catalog:read catalog:write inventory:read inventory:write blog:read blog:write");
  customer = await customerToken(server, "catalog:read blog:read blog:write");
  warehouse = await machineToken(server, t.prisma, ["inventory:read", "inventory:write"]);
});
afterAll(() => server.stop());

// The seed's React client sends exactly this.
const CreatePost = `
  mutation CreatePost($title: String!, $content: String!) {
    createPost(title: $title, content: $content) {
      post {
        id
        title
        content
        createdAt
        author {
          username
        }
      }
    }
  }
`;

const errorsOf = (res: GraphQLResponse, field: string) =>
  (dataOf(res)[field] as { errors: { __typename: string; code: string; message: string; field?: string }[] }).errors;

/** Runs `work` and checks that it wrote nothing. */
async function writesNothing<T>(work: () => Promise<T>): Promise<T> {
  const before = await databaseFingerprint(url);
  const result = await work();
  expect(await databaseFingerprint(url)).toEqual(before);
  return result;
}

describe("the seed's CreatePost", () => {
  it("publishes a post as the signed-in user, and REST reads it at once", async () => {
    const data = dataOf(await graphql(t.app, CreatePost, { title: "From GraphQL", content: "Hello." }, { token: customer })) as {
      createPost: { post: { id: string; title: string; content: string; createdAt: string; author: { username: string } } };
    };
    expect(data.createPost.post).toMatchObject({
      title: "From GraphQL",
      content: "Hello.",
      author: { username: "casey-customer" },
    });
    const id = Buffer.from(data.createPost.post.id, "base64").toString().split(":")[1];
    const rest = await request(t.app).get(`/api/v2/posts/${id}`);
    expect(rest.body).toMatchObject({ title: "From GraphQL", createdAt: data.createPost.post.createdAt });
  });

  it("without a token: UNAUTHENTICATED, with a machine token: FORBIDDEN, and nothing written", async () => {
    const anonymous = await writesNothing(() => graphql(t.app, CreatePost, { title: "x", content: "y" }));
    expect(anonymous.body.data?.createPost ?? null).toBeNull();
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
    const machine = await writesNothing(() => graphql(t.app, CreatePost, { title: "x", content: "y" }, { token: warehouse }));
    expect(machine.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });

  it("refuses bad input as ValidationErrors naming each field", async () => {
    const withErrors = `mutation($title: String!, $content: String!) {
      createPost(title: $title, content: $content) { post { id } errors { __typename code message ... on ValidationError { field } } }
    }`;
    const res = await writesNothing(() => graphql(t.app, withErrors, { title: " ", content: "a\u0000b" }, { token: customer }));
    expect(errorsOf(res, "createPost")).toEqual([
      expect.objectContaining({ __typename: "ValidationError", code: "BAD_USER_INPUT", field: "title" }),
      expect.objectContaining({ __typename: "ValidationError", code: "BAD_USER_INPUT", field: "content" }),
    ]);
  });

  it("a bad token is a 401 with the Bearer challenge, even for a read", async () => {
    const res = await graphql(t.app, "{ posts { id } }", undefined, { token: "not-a-token" });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toMatch(/^Bearer realm="stockroom", error="invalid_token"/);
    expect(res.body.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("catalog and inventory mutations", () => {
  const productFields =
    "product { id databaseId sku name version price { amount currency formatted } stock { onHand available } }";
  const errors = "errors { __typename code message ... on ValidationError { field path } }";
  const create = `mutation($input: CreateProductInput!) { createProduct(input: $input) { ${productFields} ${errors} } }`;
  const update = `mutation($input: UpdateProductInput!) { updateProduct(input: $input) { ${productFields} ${errors} } }`;
  const remove = `mutation($input: DeleteProductInput!) { deleteProduct(input: $input) { deletedId ${errors} } }`;
  const adjust = `mutation($input: AdjustStockInput!) { adjustStock(input: $input) { stock { productId onHand reserved available version product { sku } } ${errors} } }`;

  it("create, update with expectedVersion, stale update refused, delete (staff only)", async () => {
    const category = await t.prisma.category.findFirstOrThrow();
    const input = {
      sku: "GQL-001",
      name: "Travel Mug",
      price: { amount: 2450, currency: "EUR" },
      categoryId: String(category.id),
    };
    const created = dataOf(await graphql(t.app, create, { input }, { token: staff })) as {
      createProduct: { product: { id: string; databaseId: number; version: number; price: { formatted: string } } };
    };
    const product = created.createProduct.product;
    expect(product).toMatchObject({ version: 1, price: { formatted: "€24.50" }, stock: { onHand: 0, available: 0 } });
    // GraphQL's write is REST's next read (the REST response cache was dropped by the command).
    expect((await request(t.app).get(`/api/v2/products/${product.databaseId}`)).body.name).toBe("Travel Mug");

    const duplicate = await writesNothing(() => graphql(t.app, create, { input }, { token: staff }));
    expect(errorsOf(duplicate, "createProduct")).toEqual([
      expect.objectContaining({ __typename: "ConflictError", code: "CONFLICT" }),
    ]);
    const invalid = await writesNothing(() =>
      graphql(t.app, create, { input: { ...input, sku: "bad sku", price: { amount: -1, currency: "EUR" } } }, { token: staff }),
    );
    expect(errorsOf(invalid, "createProduct").map((e) => e.field)).toEqual(["input.sku", "input.price.amount"]);

    const updated = dataOf(
      await graphql(
        t.app,
        update,
        { input: { id: product.id, expectedVersion: 1, name: "Travel Mug 350 ml" } },
        { token: staff },
      ),
    ) as { updateProduct: { product: { name: string; version: number } } };
    expect(updated.updateProduct.product).toMatchObject({ name: "Travel Mug 350 ml", version: 2 });
    const stale = await writesNothing(() =>
      graphql(t.app, update, { input: { id: product.id, expectedVersion: 1, name: "Lost update" } }, { token: staff }),
    );
    expect(errorsOf(stale, "updateProduct")).toEqual([
      expect.objectContaining({ __typename: "ConflictError", code: "PRECONDITION_FAILED" }),
    ]);

    // REST's write is GraphQL's next read.
    const patched = await request(t.app)
      .patch(`/api/v2/products/${product.databaseId}`)
      .set("Authorization", `Bearer ${staff}`)
      .send({ name: "Renamed by REST" });
    expect(patched.status).toBe(200);
    const read = dataOf(await graphql(t.app, "query($id: ID!) { product(id: $id) { name version } }", { id: product.id }));
    expect(read.product).toEqual({ name: "Renamed by REST", version: 3 });

    const forbidden = await writesNothing(() => graphql(t.app, remove, { input: { id: product.id } }, { token: customer }));
    expect(forbidden.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    const deleted = dataOf(await graphql(t.app, remove, { input: { id: product.id } }, { token: staff })) as {
      deleteProduct: { deletedId: string };
    };
    expect(deleted.deleteProduct.deletedId).toBe(product.id);
    expect(errorsOf(await graphql(t.app, remove, { input: { id: product.id } }, { token: staff }), "deleteProduct")).toEqual([
      expect.objectContaining({ __typename: "NotFoundError", code: "NOT_FOUND" }),
    ]);
  });

  it("adjustStock: receive, idempotent repeat, stale version (CONFLICT), below zero (INVARIANT_VIOLATED)", async () => {
    const product = await t.prisma.product.findFirstOrThrow({ include: { stockLevel: true } });
    const version = product.stockLevel?.version ?? 0;
    const receive = {
      productId: String(product.id),
      kind: "RECEIVE",
      quantity: 5,
      expectedVersion: version,
      idempotencyKey: "gql-1",
    };
    const first = dataOf(await graphql(t.app, adjust, { input: receive }, { token: warehouse })) as {
      adjustStock: { stock: { onHand: number; version: number; product: { sku: string } } };
    };
    expect(first.adjustStock.stock).toMatchObject({ version: version + 1, product: { sku: product.sku } });
    const repeat = await writesNothing(() => graphql(t.app, adjust, { input: receive }, { token: warehouse }));
    expect(dataOf(repeat).adjustStock).toEqual(first.adjustStock);

    const stale = await writesNothing(() =>
      graphql(t.app, adjust, { input: { ...receive, idempotencyKey: undefined } }, { token: warehouse }),
    );
    expect(errorsOf(stale, "adjustStock")).toEqual([expect.objectContaining({ __typename: "ConflictError", code: "CONFLICT" })]);
    const tooMuch = await writesNothing(() =>
      graphql(
        t.app,
        adjust,
        { input: { productId: String(product.id), kind: "SHIP", quantity: 1_000_000 } },
        { token: warehouse },
      ),
    );
    expect(errorsOf(tooMuch, "adjustStock")).toEqual([
      expect.objectContaining({ __typename: "InvariantError", code: "INVARIANT_VIOLATED" }),
    ]);
    const noReason = await writesNothing(() =>
      graphql(t.app, adjust, { input: { productId: String(product.id), kind: "ADJUST", quantity: -1 } }, { token: warehouse }),
    );
    expect(errorsOf(noReason, "adjustStock")).toEqual([
      expect.objectContaining({ __typename: "ValidationError", field: "reason" }),
    ]);
    const rest = await request(t.app).get(`/api/v2/products/${product.id}/stock`);
    expect(rest.body).toMatchObject({ onHand: first.adjustStock.stock.onHand, version: version + 1 });
    const readOnly = await writesNothing(() =>
      graphql(t.app, adjust, { input: { ...receive, idempotencyKey: "gql-2" } }, { token: customer }),
    );
    expect(readOnly.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
  });
});

describe("blog mutations", () => {
  const fields = "errors { __typename code ... on ValidationError { field } }";
  it("update, comment (idempotent), delete the comment and the post; only the author or staff", async () => {
    const post = (
      dataOf(await graphql(t.app, CreatePost, { title: "Mine", content: "Body" }, { token: customer })) as {
        createPost: { post: { id: string } };
      }
    ).createPost.post;
    const update = `mutation($input: UpdatePostInput!) { updatePost(input: $input) { post { title content } ${fields} } }`;
    expect(
      dataOf(await graphql(t.app, update, { input: { id: post.id, title: "Mine, edited" } }, { token: customer })).updatePost,
    ).toEqual({
      post: { title: "Mine, edited", content: "Body" },
      errors: [],
    });
    const empty = await writesNothing(() => graphql(t.app, update, { input: { id: post.id } }, { token: customer }));
    expect(errorsOf(empty, "updatePost")).toEqual([
      expect.objectContaining({ __typename: "ValidationError", code: "BAD_USER_INPUT" }),
    ]);

    const add = `mutation($input: AddCommentInput!) { addComment(input: $input) { comment { id text author { username } post { title commentCount } } ${fields} } }`;
    const input = { postId: post.id, text: "First!", idempotencyKey: "comment-1" };
    const comment = (
      dataOf(await graphql(t.app, add, { input }, { token: staff })) as { addComment: { comment: { id: string } } }
    ).addComment.comment;
    expect(atob(comment.id)).toMatch(/^Comment:\d+$/);
    expect(comment).toMatchObject({
      text: "First!",
      author: { username: "sam-staff" },
      post: { title: "Mine, edited", commentCount: 1 },
    });
    const again = await writesNothing(() => graphql(t.app, add, { input }, { token: staff }));
    expect((dataOf(again).addComment as { comment: { id: string } }).comment.id).toBe(comment.id);

    const removeComment = `mutation($input: DeleteCommentInput!) { deleteComment(input: $input) { deletedId ${fields} } }`;
    const notYours = await writesNothing(() => graphql(t.app, removeComment, { input: { id: comment.id } }, { token: customer }));
    expect(notYours.body.errors?.[0]?.extensions?.code).toBe("FORBIDDEN");
    expect(dataOf(await graphql(t.app, removeComment, { input: { id: comment.id } }, { token: staff })).deleteComment).toEqual({
      deletedId: comment.id,
      errors: [],
    });
    const removePost = `mutation($input: DeletePostInput!) { deletePost(input: $input) { deletedId ${fields} } }`;
    expect(dataOf(await graphql(t.app, removePost, { input: { id: post.id } }, { token: customer })).deletePost).toEqual({
      deletedId: post.id,
      errors: [],
    });
    const gone = await graphql(t.app, add, { input: { postId: post.id, text: "Late" } }, { token: staff });
    expect(errorsOf(gone, "addComment")).toEqual([expect.objectContaining({ __typename: "NotFoundError" })]);
    const badId = await graphql(t.app, add, { input: { postId: "UHJvZHVjdDox", text: "x" } }, { token: staff });
    expect(errorsOf(badId, "addComment")).toEqual([expect.objectContaining({ field: "input.postId" })]);
  });
});
