// The error catalogue of @volley/server. Every error has a stable string `code`; match on
// it, not on the message. `instanceof` works across copies of the package (ESM and CJS,
// two installed versions) because it checks a Symbol.for brand, not the class identity.

const kServerError = Symbol.for("volley.server.error");

/** Every code an error of this package may carry. */
export const SERVER_ERROR_CODES = Object.freeze({
  INVALID_OPTION: "VOLLEY_SERVER_ERR_INVALID_OPTION",
  INVALID_ARGUMENT: "VOLLEY_SERVER_ERR_INVALID_ARGUMENT",
  RESERVED_EVENT: "VOLLEY_SERVER_ERR_RESERVED_EVENT",
  ACK_TIMEOUT: "VOLLEY_SERVER_ERR_ACK_TIMEOUT",
  SOCKET_DISCONNECTED: "VOLLEY_SERVER_ERR_SOCKET_DISCONNECTED",
  CLIENT_BUNDLE_UNAVAILABLE: "VOLLEY_SERVER_ERR_CLIENT_BUNDLE_UNAVAILABLE",
  PROTOCOL_VIOLATION: "VOLLEY_SERVER_ERR_PROTOCOL_VIOLATION",
} as const);

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/**
 * The messages the server puts in CONNECT_ERROR packets of its own. Clients show them as
 * `err.message` of `connect_error`; they are part of the wire contract (same as Socket.IO).
 */
export const CONNECT_ERROR_MESSAGES = Object.freeze({
  /** CONNECT to a namespace that exists neither statically nor through a parent namespace. */
  INVALID_NAMESPACE: "Invalid namespace",
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
    Object.defineProperty(this, kServerError, { value: true });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== "object" || value === null || !(kServerError in value)) return false;
    const expected = (this as { code?: ServerErrorCode | undefined }).code;
    return expected === undefined || (value as { code?: unknown }).code === expected;
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
