import { Router } from "express";
import { z } from "zod";
import { actorOf, requireScope } from "../../auth/middleware.js";
import { parseInput } from "../../http/validate.js";
import type { BlogCommands } from "./commands.js";

const id = z.coerce.number().int().positive().max(2_147_483_647);
const commentParams = z.object({ postId: id, commentId: id });

/** Blog REST routes of v1. */
export function blogRestV1(commands: BlogCommands): Router {
  const router = Router();
  router.delete("/posts/:postId/comments/:commentId", requireScope("blog:write"), async (req, res) => {
    const { postId, commentId } = parseInput(commentParams, req.params, "path");
    await commands.deleteComment(actorOf(req), commentId, { postId });
    res.status(204).end();
  });
  return router;
}
