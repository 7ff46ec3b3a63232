// Timer helpers of engine.io-client's public API, which socket.io-client imports: a way to pin
// the timer functions of an object (`useNativeTimers` survives fake clocks installed later),
// and `nextTick` (see node/next-tick.ts and browser/next-tick.ts).

/** The timer functions {@link installTimerFunctions} puts on an object. */
export interface TimerFunctions {
  setTimeoutFn: typeof setTimeout;
  clearTimeoutFn: typeof clearTimeout;
}

// Captured when the module loads, before a test framework may replace the globals.
const NATIVE_SET_TIMEOUT = globalThis.setTimeout;
const NATIVE_CLEAR_TIMEOUT = globalThis.clearTimeout;

/** The timer functions to use: the ones of module load with `useNativeTimers`, the current globals otherwise. */
export function timerFunctions(useNativeTimers: boolean | undefined): TimerFunctions {
  const set = useNativeTimers === true ? NATIVE_SET_TIMEOUT : globalThis.setTimeout;
  const clear = useNativeTimers === true ? NATIVE_CLEAR_TIMEOUT : globalThis.clearTimeout;
  // One object per pair of functions, shared by every socket made while they are in place.
  if (cached?.[0] !== set || cached[1] !== clear) {
    cached = [set, clear, { setTimeoutFn: set.bind(globalThis), clearTimeoutFn: clear.bind(globalThis) }];
  }
  return cached[2];
}

let cached: [typeof setTimeout, typeof clearTimeout, TimerFunctions] | undefined;

/**
 * Sets `setTimeoutFn` and `clearTimeoutFn` on `target`: the timer functions present when this
 * package loaded if `opts.useNativeTimers` is true (so a fake clock installed later does not
 * stop reconnections), else the current global ones. As engine.io-client's.
 * @example
 * class Manager { setTimeoutFn!: typeof setTimeout; clearTimeoutFn!: typeof clearTimeout;
 *   constructor(opts) { installTimerFunctions(this, opts); } }
 */
export function installTimerFunctions(target: object, opts: { useNativeTimers?: boolean }): void {
  Object.assign(target, timerFunctions(opts.useNativeTimers));
}
