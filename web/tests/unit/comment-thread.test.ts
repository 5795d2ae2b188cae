import { describe, expect, it } from "vitest";
import { CommentThread } from "../../src/blog/comment-thread";

const comment = (id: number, text: string, username = "casey-customer") => ({
  id,
  text,
  author: { username },
  createdAt: `2026-12-01T10:00:0${id % 10}.000Z`,
});

describe("a post's comment thread", () => {
  it("shows an optimistic comment at once and, after its ack, as the confirmed comment, once", () => {
    const thread = new CommentThread();
    thread.load([comment(1, "First!")]);
    thread.addOptimistic("c-1", "Mine", "sam-staff");
    expect(thread.snapshot().map((c) => [c.id, c.text, c.state])).toEqual([
      [1, "First!", "confirmed"],
      [undefined, "Mine", "sending"],
    ]);
    thread.acknowledge("c-1", 2);
    // The feed's copy arrives after the ack: still one comment 2.
    thread.apply("CommentAdded", comment(2, "Mine", "sam-staff"));
    expect(thread.snapshot().map((c) => [c.id, c.text, c.state])).toEqual([
      [1, "First!", "confirmed"],
      [2, "Mine", "confirmed"],
    ]);
  });

  it("does not show a comment twice when the feed's copy arrives before the ack", () => {
    const thread = new CommentThread();
    thread.addOptimistic("c-1", "Mine", "sam-staff");
    thread.apply("CommentAdded", comment(5, "Mine", "sam-staff"));
    expect(thread.snapshot().map((c) => c.id)).toEqual([5]);
    thread.acknowledge("c-1", 5);
    expect(thread.snapshot().map((c) => c.id)).toEqual([5]);
  });

  it("keeps an earlier comment with the same text apart from the one in flight", () => {
    const thread = new CommentThread();
    thread.load([comment(3, "+1", "sam-staff")]);
    thread.addOptimistic("c-2", "+1", "sam-staff");
    expect(thread.snapshot()).toHaveLength(2);
  });

  it("marks a refused comment with the reason and drops it when dismissed", () => {
    const thread = new CommentThread();
    thread.addOptimistic("c-1", " ", "sam-staff");
    thread.refuse("c-1", "Not posted: text: too short");
    expect(thread.snapshot()).toMatchObject([{ state: "failed", error: "Not posted: text: too short" }]);
    thread.dismiss("c-1");
    expect(thread.snapshot()).toEqual([]);
  });

  it("applies deletions of comments and of the post", () => {
    const thread = new CommentThread();
    thread.load([comment(1, "a"), comment(2, "b")]);
    thread.apply("CommentDeleted", { commentId: 1, postId: 9 });
    expect(thread.snapshot().map((c) => c.id)).toEqual([2]);
    thread.apply("PostDeleted", { postId: 9 });
    expect(thread.deleted).toBe(true);
  });
});
