// Application listeners called from places that must not throw (the adapter's broadcast
// loop, the engine's callbacks): an exception is rethrown on a later tick, so it surfaces
// as an uncaught exception like any listener error, without cutting the loop short.
export function runListener(call: () => void): void {
  try {
    call();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}
