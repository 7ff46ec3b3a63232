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
  if (useNativeTimers === true) return (nativeTimers ??= bound(NATIVE_SET_TIMEOUT, NATIVE_CLEAR_TIMEOUT));
  // One object per pair of globals, shared by every socket made while they are in place.
  const { setTimeout: set, clearTimeout: clear } = globalThis;
  if (currentTimers === undefined || set !== currentSet || clear !== currentClear) {
    currentSet = set;
    currentClear = clear;
    currentTimers = bound(set, clear);
  }
  return currentTimers;
}

let nativeTimers: TimerFunctions | undefined;
let currentTimers: TimerFunctions | undefined;
let currentSet: typeof setTimeout | undefined;
let currentClear: typeof clearTimeout | undefined;

function bound(set: typeof setTimeout, clear: typeof clearTimeout): TimerFunctions {
  return Object.freeze({ setTimeoutFn: set.bind(globalThis), clearTimeoutFn: clear.bind(globalThis) });
}

export function installTimerFunctions(target: object, opts: { useNativeTimers?: boolean }): void {
  Object.assign(target, timerFunctions(opts.useNativeTimers));
}
