/**
 * Runs `callback` (with `args`) after the current operation, before I/O: `process.nextTick`
 * in Node.js, as engine.io-client's Node build exports it.
 */
export const nextTick: (callback: (...args: never[]) => void, ...args: unknown[]) => void = (callback, ...args) => {
  process.nextTick(callback as (...args: unknown[]) => void, ...args);
};
