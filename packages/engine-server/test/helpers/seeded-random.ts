// A small seeded pseudo-random generator for fuzz tests: the same seed gives the same
// sequence on every machine, so a failure names the seed that reproduces it.
// (The same helper exists in each package's test/helpers: test files do not import across packages.)
import { Buffer } from "node:buffer";

// Module bindings, not globals: under jest, every global lookup goes through the test
// context's interceptor, which made one call of uint32() some hundred times slower.
const { floor, imul } = Math;

/** mulberry32: 32 bits of state, good enough spread for test inputs; not for cryptography. */
export class SeededRandom {
  readonly seed: number;
  #state: number;

  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.#state = this.seed;
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.uint32() / 0x100000000;
  }

  /** A uniform integer in [0, bound). */
  int(bound: number): number {
    return floor(this.float() * bound);
  }

  /** A uniform integer in [min, max], both included. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick() from an empty list");
    return items[this.int(items.length)]!;
  }

  bytes(length: number): Buffer {
    const out = Buffer.allocUnsafe(length);
    let i = 0;
    for (; i + 4 <= length; i += 4) out.writeUInt32LE(this.uint32(), i);
    for (; i < length; i++) out[i] = this.uint32() & 0xff;
    return out;
  }

  /** A fresh generator whose sequence depends on this one's next value (for one sub-case). */
  fork(): SeededRandom {
    return new SeededRandom(this.uint32());
  }
}

/**
 * The seeds a fuzz test runs with: `defaults`, unless the environment variable
 * `VOLLEY_FUZZ_SEED` holds a comma-separated list of seeds (decimal or 0x-hex) to run instead.
 */
export function fuzzSeeds(defaults: readonly number[]): number[] {
  const fromEnv = process.env["VOLLEY_FUZZ_SEED"];
  if (fromEnv === undefined || fromEnv.trim() === "") return [...defaults];
  return fromEnv.split(",").map((text) => {
    const seed = Number(text.trim());
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`VOLLEY_FUZZ_SEED: not a 32-bit seed: ${text}`);
    return seed;
  });
}

/** How to reproduce a case, for failure messages. */
export function reproduce(seed: number, caseIndex: number): string {
  return `seed ${seed} (0x${seed.toString(16)}), case ${caseIndex}; rerun with VOLLEY_FUZZ_SEED=${seed}`;
}
