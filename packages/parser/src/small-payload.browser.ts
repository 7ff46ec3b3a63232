// What "./small-payload" resolves to in the browser build (dist/index.browser.*, the
// package's "browser" export condition): no fast path, every payload goes through
// JSON.stringify / JSON.parse and the general checks. The fast paths save the fixed cost
// of those calls on a server that handles many packets; a browser client handles few, and
// its bundle is smaller without them (HAS_FAST_PATHS, a constant, lets the minifier drop
// the code that tries them). Both paths write and accept exactly the same text.

/** No fast paths: the encoder and the decoder leave out the code that tries them. */
export const HAS_FAST_PATHS = false;

/** The small-payload reader is never tried (no text is at most -1 characters long). */
export const MAX_SMALL_TEXT_LENGTH = -1;

/** Always undefined: the caller takes the general path. */
export function writeSmallPayload(..._args: unknown[]): undefined {
  return undefined;
}

/** Always undefined: the caller takes the general path. */
export function readSmallPayload(..._args: unknown[]): undefined {
  return undefined;
}
