import { describe, expect, it } from "vitest";
import { DomainError } from "../../src/errors.js";
import { BoundedQueue } from "../../src/graphql/subscriptions/bounded-queue.js";

// The queue between the hub and a socket: what a subscriber's client sees when it reads slowly.
describe("BoundedQueue", () => {
  it("hands over what was pushed in order, to a reader waiting or not", async () => {
    const queue = new BoundedQueue<number>(10, () => {});
    queue.push(1);
    const waiting = queue.next();
    expect(await waiting).toEqual({ value: 1, done: false });
    const later = queue.next();
    queue.push(2);
    expect(await later).toEqual({ value: 2, done: false });
  });

  it("past its capacity it ends with LimitExceeded after the events it held, and releases its source once", async () => {
    let released = 0;
    const queue = new BoundedQueue<number>(3, () => released++);
    for (let i = 1; i <= 5; i++) queue.push(i);
    expect(released).toBe(1);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const value of queue) seen.push(value);
      })(),
    ).rejects.toSatisfy((error: unknown) => error instanceof DomainError && error.code === "LimitExceeded");
    expect(seen).toEqual([1, 2, 3]);
    expect(released).toBe(1);
  });

  it("a reader that stops (return) releases the source and ends a waiting read", async () => {
    let released = 0;
    const queue = new BoundedQueue<number>(3, () => released++);
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    queue.push(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(released).toBe(1);
  });

  it("fail() reaches a waiting reader at once", async () => {
    const queue = new BoundedQueue<number>(3, () => {});
    const waiting = queue.next();
    queue.fail(new DomainError("ValidationFailed", "since is not a position"));
    await expect(waiting).rejects.toThrow("since is not a position");
  });
});
