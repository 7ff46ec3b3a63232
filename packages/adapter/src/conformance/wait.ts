// Bounded waits for the conformance kit: every wait ends when the awaited thing happens,
// or fails with a ConformanceError after its timeout. No sleeps.
import { ConformanceError } from "./assert";
import type { ConformanceListener } from "./types";

interface Listenable {
  on(event: string, listener: ConformanceListener): unknown;
  off(event: string, listener: ConformanceListener): unknown;
}

/** Rejects with a ConformanceError if `promise` does not settle within `timeoutMs`. */
export function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new ConformanceError(`${what}: nothing after ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The arguments of the next `event` of `emitter` that `accept` takes (bounded). */
export function nextEvent(
  emitter: Listenable,
  event: string,
  timeoutMs: number,
  what: string,
  accept: (args: unknown[]) => boolean = () => true,
): Promise<unknown[]> {
  let listener!: ConformanceListener;
  const received = new Promise<unknown[]>((resolve) => {
    listener = (...args) => {
      if (accept(args)) resolve(args);
    };
    emitter.on(event, listener);
  });
  return within(received, timeoutMs, what).finally(() => emitter.off(event, listener));
}

/** The callback of an emit with ack as a promise of its arguments (bounded). */
export function ackCallback(timeoutMs: number, what: string): { callback: (...args: unknown[]) => void; result: Promise<unknown[]> } {
  let callback!: (...args: unknown[]) => void;
  const called = new Promise<unknown[]>((resolve) => {
    callback = (...args) => resolve(args);
  });
  return { callback, result: within(called, timeoutMs, what) };
}

/** Resolves after `count` calls of `tick` (bounded). */
export function countdown(count: number, timeoutMs: number, what: string): { tick: () => void; done: Promise<void> } {
  let left = count;
  let resolve!: () => void;
  const reached = new Promise<void>((r) => (resolve = r));
  if (count <= 0) resolve();
  return {
    tick: () => {
      left--;
      if (left === 0) resolve();
    },
    done: within(reached, timeoutMs, what),
  };
}
