// The error catalogue of @volley/adapter, and the one place its errors are defined. Every
// error has a stable string `code` from ADAPTER_ERROR_CODES, which never changes meaning.
// `instanceof` works across copies of the package (ESM and CJS builds in one process, two
// installed versions) because it checks a brand registered with Symbol.for, not the class
// identity: each class has its own brand, and every error carries the base one (brandErrors
// of @volley/shared).
import { brandErrors, errorCodes } from "@volley/shared";
import type { NodeId } from "./types";

/** Every code an error of this package may carry: `ADAPTER_ERROR_CODES.NAME === "VOLLEY_ADAPTER_ERR_NAME"`. */
export const ADAPTER_ERROR_CODES = errorCodes("VOLLEY_ADAPTER_ERR_", [
  // A constructor option has the wrong type or is out of range ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // A method got an argument it cannot use ({@link InvalidArgumentError}).
  "INVALID_ARGUMENT",
  // Not every node answered a cluster request in time ({@link RequestTimeoutError}).
  "REQUEST_TIMEOUT",
  // A message from the cluster bus is malformed ({@link InvalidClusterMessageError}).
  "INVALID_MESSAGE",
  // `doPublish` or `doPublishResponse` failed ({@link PublishError}).
  "PUBLISH_FAILED",
  // The adapter was closed while a request was pending ({@link AdapterClosedError}).
  "CLOSED",
]);

/** The union of every code of {@link ADAPTER_ERROR_CODES}. */
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
  /**
   * The ids (adapter `uid`) of the nodes that were live when the request was sent and
   * neither answered nor went down, frozen; `undefined` when the adapter knows only how
   * many nodes must answer (a ClusterAdapter without heartbeat).
   */
  readonly missingNodes: readonly NodeId[] | undefined;

  /**
   * `missing` given (a count, or the ids of the silent nodes): the "missing N responses"
   * form of the message.
   */
  constructor(received: number, expected: number, missing?: number | readonly NodeId[]) {
    const missingNodes = typeof missing === "object" ? Object.freeze([...missing]) : undefined;
    const missingCount = typeof missing === "object" ? missing.length : missing;
    super(
      ADAPTER_ERROR_CODES.REQUEST_TIMEOUT,
      missingCount === undefined
        ? `timeout reached: only ${received} responses received out of ${expected}`
        : `timeout reached: missing ${missingCount} responses`,
    );
    this.received = received;
    this.expected = expected;
    this.missing = missingCount ?? expected - received;
    this.missingNodes = missingNodes;
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

brandErrors("adapter", AdapterError, [
  InvalidOptionError,
  InvalidArgumentError,
  RequestTimeoutError,
  InvalidClusterMessageError,
  PublishError,
  AdapterClosedError,
]);
