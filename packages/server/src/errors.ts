// The error catalogue of @volley/server, and the one place its errors are defined. Every
// error has a stable string `code` from SERVER_ERROR_CODES, which never changes meaning;
// match on it, not on the message. `instanceof` works across copies of the package (ESM and
// CJS builds in one process, two installed versions) because it checks a brand registered
// with Symbol.for, not the class identity: each class has its own brand, and every error
// carries the base one (brandErrors of @volley/shared).
import { brandErrors, errorCodes } from "@volley/shared";

/** Every code an error of this package may carry: `SERVER_ERROR_CODES.NAME === "VOLLEY_SERVER_ERR_NAME"`. */
export const SERVER_ERROR_CODES = errorCodes("VOLLEY_SERVER_ERR_", [
  // An option of `new Server()` has the wrong type or is out of range ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // A method got an argument it cannot use ({@link InvalidArgumentError}).
  "INVALID_ARGUMENT",
  // Emitting an event name the protocol reserves ({@link ReservedEventError}).
  "RESERVED_EVENT",
  // An acknowledgement did not arrive in time ({@link AckTimeoutError}).
  "ACK_TIMEOUT",
  // No acknowledgement can come from a disconnected socket ({@link SocketDisconnectedError}).
  "SOCKET_DISCONNECTED",
  // A client bundle URL was requested: the `code` of the 404 JSON body (no class, nothing is thrown).
  "CLIENT_BUNDLE_UNAVAILABLE",
  // A client sent a packet the protocol does not allow where it came ({@link ProtocolViolationError}).
  "PROTOCOL_VIOLATION",
]);

/** The union of every code of {@link SERVER_ERROR_CODES}. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/**
 * The messages the server puts in CONNECT_ERROR packets of its own. Clients show them as
 * `err.message` of `connect_error`; they are part of the wire contract (same as Socket.IO).
 */
export const CONNECT_ERROR_MESSAGES = Object.freeze({
  /** CONNECT to a namespace that exists neither statically nor through a parent namespace. */
  INVALID_NAMESPACE: "Invalid namespace",
  /** CONNECT from a connection that is in `maxNamespacesPerConnection` namespaces already. */
  TOO_MANY_NAMESPACES: "Too many namespaces",
} as const);

/** Base class of every error thrown or reported by the server. */
export class ServerError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: ServerErrorCode | undefined = undefined;
  readonly code: ServerErrorCode;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** An option of `new Server()` has the wrong type or is out of range. */
export class InvalidOptionError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.INVALID_OPTION;
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, expectation: string, value: unknown) {
    super(SERVER_ERROR_CODES.INVALID_OPTION, `option "${option}" must be ${expectation}, got ${describe(value)}`);
    this.option = option;
  }
}

/** A method got an argument it cannot use (a namespace name without "/", a room that is not a string…). */
export class InvalidArgumentError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.INVALID_ARGUMENT;

  constructor(message: string) {
    super(SERVER_ERROR_CODES.INVALID_ARGUMENT, message);
  }
}

/** The application tried to emit an event name the protocol reserves (connect, disconnect…). */
export class ReservedEventError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.RESERVED_EVENT;
  /** The event name. */
  readonly event: string;

  constructor(event: string) {
    super(SERVER_ERROR_CODES.RESERVED_EVENT, `"${event}" is a reserved event name`);
    this.event = event;
  }
}

/**
 * An acknowledgement did not arrive within the `timeout(ms)` given to the emit. The message
 * is socket.io's ("operation has timed out"), which user code may match on; the delay is
 * `timeoutMs`. Broadcasts carry the responses received so far in `responses`.
 */
export class AckTimeoutError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.ACK_TIMEOUT;
  /** The timeout, in milliseconds. */
  readonly timeoutMs: number;
  /**
   * Broadcasts (`io.timeout(ms).emit/emitWithAck`): the answers that arrived in time, one
   * per client; `null` for `remoteSocket.timeout(ms).emitWithAck` (its one answer did not
   * come). Undefined for a single socket's `socket.timeout(ms).emit`.
   */
  readonly responses: unknown[] | null | undefined;

  constructor(timeoutMs: number, responses?: unknown[] | null) {
    super(SERVER_ERROR_CODES.ACK_TIMEOUT, "operation has timed out");
    this.timeoutMs = timeoutMs;
    this.responses = responses;
  }
}

/** `emitWithAck` on a socket that is not connected: no acknowledgement can come. */
export class SocketDisconnectedError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.SOCKET_DISCONNECTED;

  constructor(id: string) {
    super(SERVER_ERROR_CODES.SOCKET_DISCONNECTED, `socket ${id} is disconnected`);
  }
}

/**
 * A client sent a well-formed packet that the protocol does not allow where it came: a
 * CONNECT for a namespace it is connected to, a packet for a namespace it is not connected
 * to, a CONNECT_ERROR. The connection is closed; this is the `description` of the sockets'
 * `disconnect`.
 */
export class ProtocolViolationError extends ServerError {
  static override readonly code = SERVER_ERROR_CODES.PROTOCOL_VIOLATION;
  /** The Socket.IO packet type (0 CONNECT … 6 BINARY_ACK). */
  readonly packetType: number;
  /** The namespace the packet named. */
  readonly namespace: string;

  constructor(packetType: number, namespace: string, message: string) {
    super(SERVER_ERROR_CODES.PROTOCOL_VIOLATION, message);
    this.packetType = packetType;
    this.namespace = namespace;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : String(value);
}

brandErrors("server", ServerError, [
  InvalidOptionError,
  InvalidArgumentError,
  ReservedEventError,
  AckTimeoutError,
  SocketDisconnectedError,
  ProtocolViolationError,
]);
