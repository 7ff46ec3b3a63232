import { describe, expect, it } from "@jest/globals";
import { Backoff } from "../../src/backoff";

/** A random source that returns the given values in turn. */
const sequence = (...values: number[]) => {
  let index = 0;
  return () => values[index++ % values.length]!;
};

describe("Backoff", () => {
  it("doubles from min up to max, without jitter", () => {
    const backoff = new Backoff({ min: 100, max: 1000, jitter: 0 });
    expect(Array.from({ length: 6 }, () => backoff.duration())).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoff.attempts).toBe(6);
    backoff.reset();
    expect(backoff.attempts).toBe(0);
    expect(backoff.duration()).toBe(100);
  });

  it("moves each delay down or up by a random part of jitter × delay", () => {
    // random() pairs: (deviation factor, direction < 0.5 = down)
    const backoff = new Backoff({ min: 1000, max: 100_000, jitter: 0.5, random: sequence(1, 0.1, 1, 0.9, 0.5, 0.9) });
    expect(backoff.duration()).toBe(500); // 1000 - 1 * 0.5 * 1000
    expect(backoff.duration()).toBe(3000); // 2000 + 1 * 0.5 * 2000
    expect(backoff.duration()).toBe(5000); // 4000 + 0.5 * 0.5 * 4000
  });

  it("never goes above max nor below 0, even after very many attempts", () => {
    const backoff = new Backoff({ min: 1000, max: 5000, jitter: 1, random: Math.random });
    for (let i = 0; i < 2000; i++) {
      const delay = backoff.duration();
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(5000);
      expect(Number.isInteger(delay)).toBe(true);
    }
  });

  it("setMin, setMax and setJitter apply to the next delays", () => {
    const backoff = new Backoff({ min: 100, max: 1000, jitter: 0.5, random: sequence(1, 0) });
    backoff.setJitter(0);
    backoff.setMin(10);
    backoff.setMax(15);
    expect([backoff.duration(), backoff.duration()]).toEqual([10, 15]);
  });
});
