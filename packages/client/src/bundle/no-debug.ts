// What `debug` resolves to in the minified bundles: every logger is the same empty function,
// which rollup sees through (a call to it has no effect; with `propertyReadSideEffects: false`
// neither have its arguments), so the log calls and their message strings are dropped at
// build time.
const noop = (..._args: unknown[]): void => {};

/** A `debug` factory whose loggers do nothing. */
export default function createDebug(_namespace: string): typeof noop {
  return noop;
}
