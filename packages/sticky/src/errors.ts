// The error catalogue of @volley/sticky, and the one place its errors are defined. Every
// error carries a stable string `code` from STICKY_ERROR_CODES, which never changes meaning.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions): brandErrors of @volley/shared.
import { brandErrors, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `STICKY_ERROR_CODES.NAME === "VOLLEY_STICKY_ERR_NAME"`. */
export const STICKY_ERROR_CODES = errorCodes("VOLLEY_STICKY_ERR_", [
  // An option of `setupPrimary()`/`setupWorker()` is unknown or has a wrong value (a `TypeError`).
  "INVALID_OPTION",
  // `setupPrimary()` was not given a plain (non-TLS) net/http server, or `setupWorker()` a server it can drive (a `TypeError`).
  "INVALID_ARGUMENT",
  // `setupPrimary()` was called outside the cluster's primary process.
  "NOT_PRIMARY",
  // `setupWorker()` was called outside a cluster worker.
  "NOT_WORKER",
]);

/** The union of every code of {@link STICKY_ERROR_CODES}. */
export type StickyErrorCode = (typeof STICKY_ERROR_CODES)[keyof typeof STICKY_ERROR_CODES];

/**
 * Base class of the package's errors. The option and argument errors extend `TypeError`
 * instead (what Node.js throws for such mistakes), and are `instanceof StickyError` too.
 */
export class StickyError extends Error {
  /** Stable machine-readable code, `VOLLEY_STICKY_ERR_*`. */
  readonly code: StickyErrorCode;

  constructor(code: StickyErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Thrown for an unknown option or an option with a wrong value. A `TypeError`, and `instanceof StickyError`. */
export class InvalidOptionError extends TypeError {
  readonly code: typeof STICKY_ERROR_CODES.INVALID_OPTION = STICKY_ERROR_CODES.INVALID_OPTION;
  override name = "InvalidOptionError";
  /** The name of the option (`"options"` for the options object itself). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/** Thrown when the server given cannot be used. A `TypeError`, and `instanceof StickyError`. */
export class InvalidArgumentError extends TypeError {
  readonly code: typeof STICKY_ERROR_CODES.INVALID_ARGUMENT = STICKY_ERROR_CODES.INVALID_ARGUMENT;
  override name = "InvalidArgumentError";
}

/** Thrown by `setupPrimary()` in a worker, or by `setupWorker()` outside a worker. */
export class WrongProcessError extends StickyError {
  declare readonly code: typeof STICKY_ERROR_CODES.NOT_PRIMARY | typeof STICKY_ERROR_CODES.NOT_WORKER;
  override name = "WrongProcessError";

  constructor(code: typeof STICKY_ERROR_CODES.NOT_PRIMARY | typeof STICKY_ERROR_CODES.NOT_WORKER, message: string) {
    super(code, message);
  }
}

brandErrors("sticky", StickyError, [InvalidOptionError, InvalidArgumentError, WrongProcessError]);
