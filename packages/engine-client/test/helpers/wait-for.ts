// Bounded waits: every test waits for an event, never for time, and fails after a bound.

// Loose on purpose: typed emitters (eventemitter3 maps, Node's EventEmitter) all fit.
type Listener = (...args: unknown[]) => void;
interface LooseEmitter {
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  off(event: string, listener: Listener): unknown;
}
const loose = (emitter: object): LooseEmitter => emitter as LooseEmitter;

/** Resolves with the arguments of the next `event`; rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(target: object, event: string, timeoutMs = 5000): Promise<T> {
  const emitter = loose(target);
  return settleQuietly(new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]) => {
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
export function collect<T = unknown>(target: object, event: string, count: number, timeoutMs = 5000): Promise<T[]> {
  const emitter = loose(target);
  return settleQuietly(new Promise<T[]>((resolve, reject) => {
    const values: T[] = [];
    const listener = (...args: unknown[]) => {
      values.push(args[0] as T);
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
export function waitUntil(target: object, event: string, predicate: () => boolean, timeoutMs = 5000): Promise<void> {
  const emitter = loose(target);
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
