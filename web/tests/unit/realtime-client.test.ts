import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/api/realtime";

describe("reconnection backoff", () => {
  it("doubles from the first delay up to the cap, with ±20 % jitter", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelay(attempt, 500, 10_000, middle))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000,
    ]);
    expect(backoffDelay(2, 500, 10_000, () => 0)).toBe(1600);
    expect(backoffDelay(2, 500, 10_000, () => 0.999_999)).toBe(2400);
  });
});
