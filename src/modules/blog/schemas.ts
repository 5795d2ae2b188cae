// The blog's zod schemas: request validation, response shapes and OpenAPI.
import { z } from "zod";
import { pageLimitParam, recordIdParam, text } from "../shared/fields.js";

const id = recordIdParam();
export const postParams = z.object({ postId: id.meta({ example: 1 }) });
export const commentParams = z.object({ postId: id.meta({ example: 1 }), commentId: id.meta({ example: 1 }) });

const timestamp = z.iso.datetime();
const author = z.object({ id: z.number().int(), username: z.string() }).meta({ id: "Author" });

export const postSchema = z
  .object({
    id: z.number().int(),
    title: z.string(),
    content: z.string(),
    author,
    commentCount: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: "Post" });

export const commentSchema = z
  .object({ id: z.number().int(), postId: z.number().int(), text: z.string(), author, createdAt: timestamp })
  .meta({ id: "Comment" });

const title = text().trim().min(1).max(200).meta({ example: "Dialing in espresso at home" });
const content = text().trim().min(1).max(50_000).meta({ example: "Start at 1:2 in 28 seconds…" });
export const postInput = z.strictObject({ title, content }).meta({ id: "PostInput" });
export const postPatch = postInput
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, "send at least one field to change")
  .meta({ id: "PostPatch" });
export const commentInput = z
  .strictObject({ text: text().trim().min(1).max(5000).meta({ example: "Great tip!" }) })
  .meta({ id: "CommentInput" });

const envelope = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({ count: z.number().int(), next: z.string().nullable(), previous: z.string().nullable(), results: z.array(item) })
    .meta({ id: name });
export const postV1Page = envelope(postSchema, "PostV1Page");
export const commentV1Page = envelope(commentSchema, "CommentV1Page");

const cursorPage = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({ data: z.array(item), page: z.object({ limit: z.number().int(), nextCursor: z.string().nullable() }) })
    .meta({ id: name });
export const postV2Page = cursorPage(postSchema, "PostV2Page");
export const commentV2Page = cursorPage(commentSchema, "CommentV2Page");

export const cursorQuery = z.strictObject({
  limit: pageLimitParam(),
  cursor: text().max(1000).optional().meta({ description: "page.nextCursor of a previous page" }),
});
export const offsetQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  page_size: pageLimitParam(),
});
