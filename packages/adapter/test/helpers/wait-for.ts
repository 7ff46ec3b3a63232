import type { EventEmitter } from "node:events";

/** Resolves with the arguments of the next `event`, or rejects after `timeoutMs`. */
export function waitFor<T extends unknown[] = unknown[]>(
  emitter: Pick<EventEmitter, "once" | "off">,
  event: string,
  timeoutMs = 2000,
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

/** Lets pending I/O callbacks (setImmediate) and promise jobs run. */
export async function flushIo(rounds = 3): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
