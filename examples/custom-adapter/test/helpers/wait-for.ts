import type { EventEmitter } from "node:events";

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(
  emitter: Pick<EventEmitter, "once" | "off">,
  event: string,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (...args: unknown[]): void => {
      clearTimeout(timer);
      resolve(args as T);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`no "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.once(event, listener);
  });
}

/** Resolves once `emitter` emitted `event` `count` times. */
export function waitForCount(
  emitter: Pick<EventEmitter, "on" | "off">,
  event: string,
  count: number,
  timeoutMs = 3000,
): Promise<unknown[][]> {
  return new Promise((resolve, reject) => {
    const seen: unknown[][] = [];
    const listener = (...args: unknown[]): void => {
      seen.push(args);
      if (seen.length < count) return;
      clearTimeout(timer);
      emitter.off(event, listener);
      resolve(seen);
    };
    const timer = setTimeout(() => {
      emitter.off(event, listener);
      reject(new Error(`only ${seen.length} of ${count} "${event}" within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(event, listener);
  });
}
