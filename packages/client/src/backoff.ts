/** The settings a reconnection delay is computed from (the Manager's options of these names). */
export interface BackoffSettings {
  /** The first delay, in milliseconds. */
  readonly reconnectionDelay: number;
  /** The longest delay, in milliseconds. */
  readonly reconnectionDelayMax: number;
  /** The jitter, from 0 to 1. */
  readonly randomizationFactor: number;
}

/**
 * The delay before reconnection attempt number `attempt` (0 for the first): exponential
 * (each attempt doubles the delay, from `reconnectionDelay` up to `reconnectionDelayMax`)
 * with jitter (each delay moves up or down by a random part of `randomizationFactor` times
 * itself), so that clients dropped together do not all come back together. An integer
 * from 0 to `reconnectionDelayMax`.
 */
export function backoffDelay(attempt: number, settings: BackoffSettings, random: () => number = Math.random): number {
  const { reconnectionDelay: min, reconnectionDelayMax: max, randomizationFactor: jitter } = settings;
  // Capped before the jitter so that a long series never overflows to Infinity or NaN.
  const base = Math.min(min * 2 ** attempt, max);
  let delay = base;
  if (jitter > 0) {
    const deviation = Math.floor(random() * jitter * base);
    delay = random() < 0.5 ? base - deviation : base + deviation;
  }
  return Math.floor(Math.max(0, Math.min(delay, max)));
}
