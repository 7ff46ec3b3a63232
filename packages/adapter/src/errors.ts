// The error catalogue of @volley/adapter. Every error has a stable string `code`;
// `instanceof` works across copies of the package (ESM and CJS, two installed versions)
// because it checks a brand registered with Symbol.for, not the class identity.

const kAdapterError = Symbol.for("volley.adapter.error");

/** Every code an error of this package may carry. */
export const ADAPTER_ERROR_CODES = Object.freeze({
  INVALID_OPTION: "VOLLEY_ADAPTER_ERR_INVALID_OPTION",
  INVALID_ARGUMENT: "VOLLEY_ADAPTER_ERR_INVALID_ARGUMENT",
  REQUEST_TIMEOUT: "VOLLEY_ADAPTER_ERR_REQUEST_TIMEOUT",
  INVALID_MESSAGE: "VOLLEY_ADAPTER_ERR_INVALID_MESSAGE",
  PUBLISH_FAILED: "VOLLEY_ADAPTER_ERR_PUBLISH_FAILED",
  CLOSED: "VOLLEY_ADAPTER_ERR_CLOSED",
} as const);

export type AdapterErrorCode = (typeof ADAPTER_ERROR_CODES)[keyof typeof ADAPTER_ERROR_CODES];

/** Base class of every error thrown or reported by the adapter. */
export class AdapterError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: AdapterErrorCode | undefined = undefined;
  readonly code: AdapterErrorCode;

  constructor(code: AdapterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
    Object.defineProperty(this, kAdapterError, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null || !(kAdapterError in value)) return false;
    const expected = (this as { code?: AdapterErrorCode | undefined }).code;
    return expected === undefined || (value as { code?: unknown }).code === expected;
  }
}

/** An option is of the wrong type or out of range (thrown by the constructors). */
export class InvalidOptionError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, expectation: string, value: unknown) {
    super(
      ADAPTER_ERROR_CODES.INVALID_OPTION,
      `option "${option}" must be ${expectation}, got ${describe(value)}`,
    );
    this.option = option;
  }
}

/** A method was called with an argument it cannot use. */
export class InvalidArgumentError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.INVALID_ARGUMENT;

  constructor(message: string) {
    super(ADAPTER_ERROR_CODES.INVALID_ARGUMENT, message);
  }
}

/**
 * Not every node answered a cluster request (fetchSockets, serverSideEmit with ack) in time.
 * The message is socket.io-adapter's: "timeout reached: missing N responses" when the
 * adapter knows the nodes by id (ClusterAdapterWithHeartbeat), "timeout reached: only X
 * responses received out of Y" when it knows only their number (ClusterAdapter).
 */
export class RequestTimeoutError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.REQUEST_TIMEOUT;
  /** How many nodes answered. */
  readonly received: number;
  /** How many nodes were expected to answer. */
  readonly expected: number;
  /** How many of the expected nodes neither answered nor went down. */
  readonly missing: number;

  /** `missing` given: the "missing N responses" form of the message. */
  constructor(received: number, expected: number, missing?: number) {
    super(
      ADAPTER_ERROR_CODES.REQUEST_TIMEOUT,
      missing === undefined
        ? `timeout reached: only ${received} responses received out of ${expected}`
        : `timeout reached: missing ${missing} responses`,
    );
    this.received = received;
    this.expected = expected;
    this.missing = missing ?? expected - received;
  }
}

/** A message received from the cluster bus is not a valid cluster message; it was dropped. */
export class InvalidClusterMessageError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.INVALID_MESSAGE;

  constructor(reason: string) {
    super(ADAPTER_ERROR_CODES.INVALID_MESSAGE, `invalid cluster message: ${reason}`);
  }
}

/** `doPublish` or `doPublishResponse` failed (the cause is attached). */
export class PublishError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.PUBLISH_FAILED;

  constructor(cause: unknown) {
    super(ADAPTER_ERROR_CODES.PUBLISH_FAILED, `publishing a cluster message failed: ${describe(cause)}`, {
      cause,
    });
  }
}

/** The adapter was closed while a request was pending. */
export class AdapterClosedError extends AdapterError {
  static override readonly code = ADAPTER_ERROR_CODES.CLOSED;

  constructor() {
    super(ADAPTER_ERROR_CODES.CLOSED, "the adapter was closed");
  }
}

function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  return typeof value;
}
