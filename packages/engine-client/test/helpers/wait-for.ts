// Bounded waits: every test waits for an event, never for time, and fails after a bound.

interface Emitter {
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/** Resolves with the arguments of the next `event`; rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(emitter: Emitter, event: string, timeoutMs = 5000): Promise<T> {
  return settleQuietly(new Promise<T>((resolve, reject) => {
    const listener = (...args: never[]) => {
      clearTimeout(timer);
      resolve(args as unknown as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    emitter.once(event, listener);
  }));
}

/**
 * A wait created ahead of time may reject while the test is failing on another await: mark it
 * handled so that it does not crash the run; awaiting it still throws.
 */
function settleQuietly<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Collects `count` emissions of `event` (first argument of each). */
export function collect<T = unknown>(
  emitter: { on(event: string, listener: (value: T) => void): unknown; off(event: string, listener: (value: T) => void): unknown },
  event: string,
  count: number,
  timeoutMs = 5000,
): Promise<T[]> {
  return settleQuietly(new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    const listener = (value: T) => {
      values.push(value);
      if (values.length === count) {
        clearTimeout(timer);
        emitter.off(event, listener);
        resolve(values);
      }
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms: ${values.length}/${count} "${event}" events`));
    }, timeoutMs);
    emitter.on(event, listener);
  }));
}

/** Resolves once `predicate` holds, checking after each `event`; rejects after `timeoutMs`. */
export function waitUntil(
  emitter: { on(event: string, listener: () => void): unknown; off(event: string, listener: () => void): unknown },
  event: string,
  predicate: () => boolean,
  timeoutMs = 5000,
): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const listener = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve();
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for a condition on "${event}"`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}
