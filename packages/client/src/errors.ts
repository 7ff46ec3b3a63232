// The error catalogue of @volley/client. Every error has a stable string `code`; match on
// it, not on the message. Messages keep socket.io-client's wording ("timeout", "operation
// has timed out", "socket has been disconnected"…) so code written against it still reads
// them. `instanceof` works across copies of the package (ESM and CJS builds in one process,
// two installed versions) because it checks a brand registered with Symbol.for, not the
// class identity: each class has its own brand, and every error carries the base one
// (brandErrors of @volley/shared). The minified browser bundles build with FULL_MESSAGES false:
// there, a long message is the code and the values (socket.io-client's short messages stay).

import { FULL_MESSAGES, brandErrors, describeValue, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `CLIENT_ERROR_CODES.NAME === "VOLLEY_CLIENT_ERR_NAME"`. */
export const CLIENT_ERROR_CODES = errorCodes("VOLLEY_CLIENT_ERR_", [
  // An option has the wrong type or is out of range ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // Emitting an event name the protocol reserves ({@link ReservedEventError}).
  "RESERVED_EVENT",
  // The connection was not open within `timeout` ({@link ConnectTimeoutError}).
  "CONNECT_TIMEOUT",
  // The server refused the namespace connection ({@link ConnectRefusedError}).
  "CONNECT_REFUSED",
  // The server speaks Socket.IO 2 ({@link UnsupportedServerError}).
  "UNSUPPORTED_SERVER",
  // An acknowledgement did not arrive in time ({@link AckTimeoutError}).
  "ACK_TIMEOUT",
  // The socket disconnected while an acknowledgement was awaited ({@link SocketDisconnectedError}).
  "SOCKET_DISCONNECTED",
]);

/** The union of every code of {@link CLIENT_ERROR_CODES}. */
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[keyof typeof CLIENT_ERROR_CODES];

/** Base class of every error thrown or reported by the client. */
export class ClientError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: ClientErrorCode | undefined = undefined;
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option of `io()`, `new Manager()` or `manager.socket()` has the wrong type or is out of range. */
export class InvalidOptionError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, expectation: string, value: unknown) {
    const code = CLIENT_ERROR_CODES.INVALID_OPTION;
    super(code, FULL_MESSAGES ? `option "${option}" must be ${expectation}, got ${describeValue(value)}` : `${code} ${option}`);
    this.option = option;
  }
}

/** `emit()` was given an event name the protocol reserves (connect, disconnect…). */
export class ReservedEventError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.RESERVED_EVENT;
  /** The event name. */
  readonly event: string;

  constructor(event: string) {
    const code = CLIENT_ERROR_CODES.RESERVED_EVENT;
    super(code, FULL_MESSAGES ? `"${event}" is a reserved event name` : `${code} ${event}`);
    this.event = event;
  }
}

/** The connection was not open within the Manager's `timeout` (message "timeout", as socket.io-client). */
export class ConnectTimeoutError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.CONNECT_TIMEOUT;

  constructor() {
    super(CLIENT_ERROR_CODES.CONNECT_TIMEOUT, "timeout");
  }
}

/**
 * The server refused the namespace connection (a middleware called `next(err)`, or the
 * namespace does not exist): `message` and `data` are the server's.
 */
export class ConnectRefusedError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.CONNECT_REFUSED;
  /** What the server attached to the error (`err.data` on the server), if anything. */
  readonly data: unknown;

  constructor(message: string, data: unknown) {
    super(CLIENT_ERROR_CODES.CONNECT_REFUSED, message);
    this.data = data;
  }
}

/** The server answered the CONNECT packet the way a Socket.IO 2 server does (no session id). */
export class UnsupportedServerError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.UNSUPPORTED_SERVER;

  constructor() {
    const code = CLIENT_ERROR_CODES.UNSUPPORTED_SERVER;
    super(
      code,
      !FULL_MESSAGES ? code : "It seems you are trying to reach a Socket.IO server in v2.x with a v3.x client, but they are not compatible " +
        "(more information here: https://socket.io/docs/v3/migrating-from-2-x-to-3-0/)",
    );
  }
}

/** An acknowledgement did not arrive within its timeout (`timeout(ms)` or `ackTimeout`). */
export class AckTimeoutError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.ACK_TIMEOUT;

  constructor() {
    super(CLIENT_ERROR_CODES.ACK_TIMEOUT, "operation has timed out");
  }
}

/** The socket disconnected while an acknowledgement with a timeout (or `emitWithAck`) was pending. */
export class SocketDisconnectedError extends ClientError {
  static override readonly code = CLIENT_ERROR_CODES.SOCKET_DISCONNECTED;

  constructor() {
    super(CLIENT_ERROR_CODES.SOCKET_DISCONNECTED, "socket has been disconnected");
  }
}

brandErrors("client", ClientError, [
  InvalidOptionError,
  ReservedEventError,
  ConnectTimeoutError,
  ConnectRefusedError,
  UnsupportedServerError,
  AckTimeoutError,
  SocketDisconnectedError,
]);
