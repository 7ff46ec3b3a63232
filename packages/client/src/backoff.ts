/**
 * The delays between reconnection attempts: exponential (each attempt doubles the delay,
 * from `min` up to `max`) with jitter (each delay moves up or down by a random part of
 * `jitter` times itself), so that clients dropped together do not all come back together.
 */
export class Backoff {
  #min: number;
  #max: number;
  #jitter: number;
  #attempts = 0;
  readonly #random: () => number;

  constructor(options: { min: number; max: number; jitter: number; random?: () => number }) {
    this.#min = options.min;
    this.#max = options.max;
    this.#jitter = options.jitter;
    this.#random = options.random ?? Math.random;
  }

  /** How many delays were handed out since the last reset. */
  get attempts(): number {
    return this.#attempts;
  }

  /** The next delay, in milliseconds; counts one attempt. */
  duration(): number {
    // Capped before the jitter so that a long series never overflows to Infinity or NaN.
    const base = Math.min(this.#min * 2 ** this.#attempts, this.#max);
    this.#attempts++;
    let delay = base;
    if (this.#jitter > 0) {
      const deviation = Math.floor(this.#random() * this.#jitter * base);
      delay = this.#random() < 0.5 ? base - deviation : base + deviation;
    }
    return Math.floor(Math.max(0, Math.min(delay, this.#max)));
  }

  reset(): void {
    this.#attempts = 0;
  }

  setMin(min: number): void {
    this.#min = min;
  }

  setMax(max: number): void {
    this.#max = max;
  }

  setJitter(jitter: number): void {
    this.#jitter = jitter;
  }
}
