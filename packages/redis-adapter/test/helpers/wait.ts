/** Resolves with the first `event` of `emitter`; rejects after `timeoutMs`. */
export function once<T extends unknown[]>(
  emitter: { once(event: string, listener: (...args: T) => void): unknown; off(event: string, listener: (...args: T) => void): unknown },
  event: string,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (...args: T): void => {
      clearTimeout(timer);
      resolve(args);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Resolves once `check()` is true, checking on every `event` of `emitter`; rejects after `timeoutMs`. */
export function until(
  emitter: { on(event: string, listener: () => void): unknown; off(event: string, listener: () => void): unknown },
  event: string,
  check: () => boolean,
  timeoutMs = 5000,
): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const listener = (): void => {
      if (!check()) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve();
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`condition not met on "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}

/** Counts the active timers of the process (setTimeout/setInterval handles). */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;
}

/**
 * Resolves with the count of active timers once it is at most `limit`, or with the count
 * after `timeoutMs` (timers due at the same moment as the awaited one may fire just after
 * it). Checks between event loop turns (setImmediate), adding no timer of its own.
 */
export async function timersSettleTo(limit: number, timeoutMs = 1000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let count = activeTimers();
  while (count > limit && Date.now() < deadline) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    count = activeTimers();
  }
  return count;
}
