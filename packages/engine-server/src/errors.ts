import type { IncomingMessage } from "node:http";

/**
 * The numeric error codes of the Engine.IO protocol, sent on HTTP as
 * `{"code": N, "message": "…"}` (status 400, or 403 for FORBIDDEN).
 */
export const ERROR_CODES = Object.freeze({
  UNKNOWN_TRANSPORT: 0,
  UNKNOWN_SID: 1,
  BAD_HANDSHAKE_METHOD: 2,
  BAD_REQUEST: 3,
  FORBIDDEN: 4,
  UNSUPPORTED_PROTOCOL_VERSION: 5,
} as const);

/** One of the numeric Engine.IO error codes. */
export type EngineErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The message sent with each numeric code (the same as `engine.io`'s `Server.errorMessages`). */
export const ERROR_MESSAGES = Object.freeze({
  0: "Transport unknown",
  1: "Session ID unknown",
  2: "Bad handshake method",
  3: "Bad request",
  4: "Forbidden",
  5: "Unsupported protocol version",
} as const);

/** HTTP status sent with each numeric code. */
export function statusOf(code: EngineErrorCode): number {
  return code === ERROR_CODES.FORBIDDEN ? 403 : 400;
}

/** Extra facts about a refused request, as `connection_error` reports them. */
export interface ConnectionErrorContext {
  /** A short machine-readable reason, e.g. `TRANSPORT_MISMATCH`, `MIDDLEWARE_FAILURE`. */
  name?: string;
  /** The message given by `allowRequest`, sent back instead of the default one. */
  message?: string;
  /**
   * The protocol revision of the request (3 or 4, a number as in `engine.io`): on code 5,
   * and on `PROTOCOL_MISMATCH` beside `previousProtocol`, the session's.
   */
  protocol?: number;
  [key: string]: unknown;
}

/**
 * How `engine.io` reports a refusal internally: an error code and its context, or nothing
 * when the request may go on. Exported for code typed against `engine.io`.
 */
export type ErrorCallback = (errorCode?: EngineErrorCode, errorContext?: ConnectionErrorContext) => void;

/**
 * Emitted as `connection_error` when a request is refused. `code` is the numeric Engine.IO
 * code (as in the `engine.io` package), `req` the refused request.
 */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
  readonly code: EngineErrorCode;
  readonly req: IncomingMessage;
  readonly context: ConnectionErrorContext;

  constructor(req: IncomingMessage, code: EngineErrorCode, context: ConnectionErrorContext = {}) {
    super(ERROR_MESSAGES[code]);
    this.code = code;
    this.req = req;
    this.context = context;
  }
}

/** String codes of the errors that end one session (the `description` of its `close`). */
export const TRANSPORT_ERROR_CODES = Object.freeze({
  /** A second GET arrived while one was pending (HTTP 400). */
  POLL_OVERLAP: "VOLLEY_ENGINE_ERR_POLL_OVERLAP",
  /** A second POST arrived while one was being read (HTTP 400). */
  POST_OVERLAP: "VOLLEY_ENGINE_ERR_POST_OVERLAP",
  /** A POST body larger than maxHttpBufferSize (HTTP 413). */
  PAYLOAD_TOO_LARGE: "VOLLEY_ENGINE_ERR_PAYLOAD_TOO_LARGE",
  /** A POST body that did not arrive within httpBodyTimeout (HTTP 408). */
  BODY_TIMEOUT: "VOLLEY_ENGINE_ERR_BODY_TIMEOUT",
  /** A binary POST body on a protocol that does not allow it (HTTP 400). */
  INVALID_CONTENT: "VOLLEY_ENGINE_ERR_INVALID_CONTENT",
  /** The client closed a pending GET or POST. */
  REQUEST_ABORTED: "VOLLEY_ENGINE_ERR_REQUEST_ABORTED",
  /** A ping from a v4 client or a pong from a v3 client. */
  HEARTBEAT_DIRECTION: "VOLLEY_ENGINE_ERR_HEARTBEAT_DIRECTION",
  /** A WebSocket message larger than maxHttpBufferSize (close code 1009). */
  MESSAGE_TOO_LARGE: "VOLLEY_ENGINE_ERR_MESSAGE_TOO_LARGE",
  /** Any other WebSocket error (invalid frame, socket error). */
  WEBSOCKET_ERROR: "VOLLEY_ENGINE_ERR_WEBSOCKET",
  /** Writing to the transport failed. */
  WRITE_ERROR: "VOLLEY_ENGINE_ERR_WRITE",
  /** More than maxWriteBufferSize bytes waited for a client that did not take them (reason "transport buffer full"). */
  WRITE_BUFFER_FULL: "VOLLEY_ENGINE_ERR_WRITE_BUFFER_FULL",
} as const);

export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[keyof typeof TRANSPORT_ERROR_CODES];

/** An error that ended one session; handed to `close` as its description. */
export class TransportError extends Error {
  override readonly name = "TransportError";
  /** Kept for `engine.io` compatibility: `err.type === "TransportError"`. */
  readonly type = "TransportError";
  readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Thrown by `new Server()` / `resolveServerOptions()` for an option of the wrong type or range. */
export class InvalidOptionError extends TypeError {
  override readonly name = "InvalidOptionError";
  readonly code = "VOLLEY_ENGINE_ERR_INVALID_OPTION";
  /** The option at fault. */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super(`option "${option}" must be ${expected}, received ${describe(received)}`);
    this.option = option;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
