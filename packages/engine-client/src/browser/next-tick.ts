/**
 * Runs `callback` after the current operation, in a microtask, as engine.io-client's browser
 * build does. Extra arguments (socket.io-client passes its `setTimeoutFn`) are ignored, as
 * upstream ignores them there.
 */
export const nextTick: (callback: (...args: never[]) => void, ...args: unknown[]) => void = (callback) => {
  void Promise.resolve().then(() => (callback as () => void)());
};
