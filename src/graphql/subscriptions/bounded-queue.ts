// Between the hub (which delivers synchronously and never waits) and a socket (which drains as
// fast as its client reads): an async iterator holding at most `capacity` events. A subscription
// whose client falls that far behind ends with an error naming the limit rather than growing
// without bound; every event before it was delivered, so the client resumes with `since`.
import { DomainError } from "../../errors.js";

type Waiter<T> = { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void };

/** An async iterator fed by push(), ended by end() or fail(), bounded by `capacity` waiting items. */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private waiter: Waiter<T> | undefined;
  private failure: unknown;
  private ended = false;
  private closed = false;

  constructor(
    private readonly capacity: number,
    /** Releases the source (the hub subscription); called once, when the queue ends for any reason. */
    private readonly release: () => void,
  ) {}

  /** Queues an item, or hands it to the reader waiting for one; past capacity the queue fails. */
  push(item: T): void {
    if (this.ended) return;
    if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = undefined;
      resolve({ value: item, done: false });
      return;
    }
    if (this.items.length >= this.capacity) {
      this.fail(
        new DomainError(
          "LimitExceeded",
          `This subscription fell ${this.capacity} events behind and was ended; subscribe again with since set to the last position you received.`,
        ),
      );
      return;
    }
    this.items.push(item);
  }

  /** Ends the iteration once the queued items are read. */
  end(): void {
    this.finish(undefined);
  }

  /** Ends the iteration with `error` once the queued items are read. */
  fail(error: unknown): void {
    this.finish(error ?? new Error("subscription failed"));
  }

  async next(): Promise<IteratorResult<T>> {
    const item = this.items.shift();
    if (item !== undefined) return { value: item, done: false };
    if (this.ended) {
      this.close();
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.failure = undefined;
        throw failure;
      }
      return { value: undefined, done: true };
    }
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  async return(): Promise<IteratorResult<T>> {
    this.ended = true;
    this.failure = undefined;
    this.items.length = 0;
    this.close();
    this.waiter?.resolve({ value: undefined, done: true });
    this.waiter = undefined;
    return { value: undefined, done: true };
  }

  async throw(error?: unknown): Promise<IteratorResult<T>> {
    await this.return();
    throw error;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private finish(failure: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failure = failure;
    this.close();
    if (this.waiter && this.items.length === 0) {
      const waiter = this.waiter;
      this.waiter = undefined;
      if (failure !== undefined) {
        this.failure = undefined;
        waiter.reject(failure);
      } else waiter.resolve({ value: undefined, done: true });
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.release();
  }
}
