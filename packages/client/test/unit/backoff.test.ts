import { describe, expect, it } from "@jest/globals";
import { backoffDelay, type BackoffSettings } from "../../src/backoff";

/** A random source that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

const settings = (min: number, max: number, jitter: number): BackoffSettings => ({
  reconnectionDelay: min,
  reconnectionDelayMax: max,
  randomizationFactor: jitter,
});

describe("backoffDelay", () => {
  it("doubles from reconnectionDelay up to reconnectionDelayMax, without jitter", () => {
    const delays = Array.from({ length: 6 }, (_, attempt) => backoffDelay(attempt, settings(100, 1000, 0)));
    expect(delays).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("moves each delay down or up by a random part of jitter × delay", () => {
    // random() pairs: (deviation factor, direction < 0.5 = down)
    const random = sequence(1, 0.1, 1, 0.9, 0.5, 0.9);
    const jittered = settings(1000, 100_000, 0.5);
    expect(backoffDelay(0, jittered, random)).toBe(500); // 1000 - 1 * 0.5 * 1000
    expect(backoffDelay(1, jittered, random)).toBe(3000); // 2000 + 1 * 0.5 * 2000
    expect(backoffDelay(2, jittered, random)).toBe(5000); // 4000 + 0.5 * 0.5 * 4000
  });

  it("never goes above the maximum nor below 0, even after very many attempts", () => {
    for (let attempt = 0; attempt < 2000; attempt++) {
      const delay = backoffDelay(attempt, settings(1000, 5000, 1));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(5000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it("reads the settings it is given at each delay", () => {
    const live = { ...settings(100, 1000, 0.5) };
    live.randomizationFactor = 0;
    live.reconnectionDelay = 10;
    live.reconnectionDelayMax = 15;
    expect([backoffDelay(0, live), backoffDelay(1, live)]).toEqual([10, 15]);
  });
});
