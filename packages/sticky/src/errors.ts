// The error catalogue of @volley/sticky, and the one place its errors are defined. Every
// error carries a stable string `code` from STICKY_ERROR_CODES, which never changes meaning.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions).

const kStickyError = Symbol.for("volley.sticky.error");
const kInvalidOptionError = Symbol.for("volley.sticky.invalid-option-error");
const kInvalidArgumentError = Symbol.for("volley.sticky.invalid-argument-error");
const kWrongProcessError = Symbol.for("volley.sticky.wrong-process-error");

/** Every code an error of this package may carry: `STICKY_ERROR_CODES.NAME === "VOLLEY_STICKY_ERR_NAME"`. */
export const STICKY_ERROR_CODES = Object.freeze({
  /** An option of `setupPrimary()`/`setupWorker()` is unknown or has a wrong value (a `TypeError`). */
  INVALID_OPTION: "VOLLEY_STICKY_ERR_INVALID_OPTION",
  /** `setupPrimary()` was not given a plain (non-TLS) net/http server, or `setupWorker()` a server it can drive (a `TypeError`). */
  INVALID_ARGUMENT: "VOLLEY_STICKY_ERR_INVALID_ARGUMENT",
  /** `setupPrimary()` was called outside the cluster's primary process. */
  NOT_PRIMARY: "VOLLEY_STICKY_ERR_NOT_PRIMARY",
  /** `setupWorker()` was called outside a cluster worker. */
  NOT_WORKER: "VOLLEY_STICKY_ERR_NOT_WORKER",
} as const);

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

  get [kStickyError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, StickyError, value, kStickyError);
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

  get [kStickyError](): true {
    return true;
  }

  get [kInvalidOptionError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, InvalidOptionError, value, kInvalidOptionError);
  }
}

/** Thrown when the server given cannot be used. A `TypeError`, and `instanceof StickyError`. */
export class InvalidArgumentError extends TypeError {
  readonly code: typeof STICKY_ERROR_CODES.INVALID_ARGUMENT = STICKY_ERROR_CODES.INVALID_ARGUMENT;
  override name = "InvalidArgumentError";

  get [kStickyError](): true {
    return true;
  }

  get [kInvalidArgumentError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, InvalidArgumentError, value, kInvalidArgumentError);
  }
}

/** Thrown by `setupPrimary()` in a worker, or by `setupWorker()` outside a worker. */
export class WrongProcessError extends StickyError {
  declare readonly code: typeof STICKY_ERROR_CODES.NOT_PRIMARY | typeof STICKY_ERROR_CODES.NOT_WORKER;
  override name = "WrongProcessError";

  constructor(code: typeof STICKY_ERROR_CODES.NOT_PRIMARY | typeof STICKY_ERROR_CODES.NOT_WORKER, message: string) {
    super(code, message);
  }

  get [kWrongProcessError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return isInstance(this, WrongProcessError, value, kWrongProcessError);
  }
}

// The brand answers for the catalogue's own classes; a user's subclass of one of them gets
// the ordinary prototype check, so that its instanceof does not accept every sibling.
function isInstance(target: object, owner: object, value: unknown, brand: symbol): boolean {
  if (target !== owner) return Function.prototype[Symbol.hasInstance].call(target, value);
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
