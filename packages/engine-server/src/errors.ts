// The error catalogue of @volley/engine-server, and the one place its errors are defined:
// every error the package emits or throws is an EngineServerError with a stable string
// `code` from ENGINE_SERVER_ERROR_CODES, which never changes meaning. The one exception is
// ConnectionError, whose `code` stays engine.io's numeric Engine.IO code (0–5), which code
// written for `connection_error` compares; the numeric codes have their own map below.
// Messages copied from engine.io on purpose ("Bad request", …) stay as they are.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions): brandErrors of @volley/shared.
import type { IncomingMessage } from "node:http";
import { brandErrors, errorCodes } from "@volley/shared";

/**
 * Every string code an error of this package may carry:
 * `ENGINE_SERVER_ERROR_CODES.NAME === "VOLLEY_ENGINE_SERVER_ERR_NAME"`.
 */
export const ENGINE_SERVER_ERROR_CODES = errorCodes("VOLLEY_ENGINE_SERVER_ERR_", [
  // An option of `new Server()`/`attach()` has the wrong type or range ({@link InvalidOptionError}).
  "INVALID_OPTION",
  // A WebSocket `close(code)` of the built-in engine with a code an endpoint may not send ({@link InvalidCloseCodeError}).
  "INVALID_CLOSE_CODE",
  // A WebSocket `close(code, reason)` of the built-in engine with a reason over 123 bytes ({@link CloseReasonTooLongError}).
  "CLOSE_REASON_TOO_LONG",
  // A second GET arrived while one was pending (HTTP 400).
  "POLL_OVERLAP",
  // A second POST arrived while one was being read (HTTP 400).
  "POST_OVERLAP",
  // A POST body larger than maxHttpBufferSize (HTTP 413).
  "PAYLOAD_TOO_LARGE",
  // A POST body that did not arrive within httpBodyTimeout (HTTP 408).
  "BODY_TIMEOUT",
  // A binary POST body on a protocol that does not allow it (HTTP 400).
  "INVALID_CONTENT",
  // The client closed a pending GET or POST.
  "REQUEST_ABORTED",
  // A ping from a v4 client or a pong from a v3 client.
  "HEARTBEAT_DIRECTION",
  // A WebSocket message larger than maxHttpBufferSize (close code 1009).
  "MESSAGE_TOO_LARGE",
  // Any other WebSocket error (invalid frame, socket error).
  "WEBSOCKET_ERROR",
  // Writing to the transport failed.
  "WRITE_ERROR",
  // More than maxWriteBufferSize bytes waited for a client that did not take them (reason "transport buffer full").
  "WRITE_BUFFER_FULL",
  // The built-in WebSocket engine read a frame the client may not send (close code 1002).
  "WS_PROTOCOL_ERROR",
  // The built-in WebSocket engine read a text message or close reason that is not UTF-8 (close code 1007).
  "WS_INVALID_UTF8",
  // The built-in WebSocket engine read a message over its limit (close code 1009).
  "WS_MESSAGE_TOO_BIG",
]);

/** The union of every code of {@link ENGINE_SERVER_ERROR_CODES}. */
export type EngineServerErrorCode = (typeof ENGINE_SERVER_ERROR_CODES)[keyof typeof ENGINE_SERVER_ERROR_CODES];

/**
 * The numeric error codes of the Engine.IO protocol, sent on HTTP as
 * `{"code": N, "message": "…"}` (status 400, or 403 for FORBIDDEN), and carried by
 * {@link ConnectionError} (`engine.io`'s `Server.errors`).
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
 * Base class of every error of this package. `code` is a string of
 * {@link ENGINE_SERVER_ERROR_CODES}, except on a {@link ConnectionError}, which keeps
 * engine.io's numeric code. The argument errors extend `TypeError`/`RangeError` instead (as
 * Node.js and ws throw them) and are `instanceof EngineServerError` too.
 */
export class EngineServerError extends Error {
  /** Stable machine-readable code (see the README's "Error codes"). */
  readonly code: EngineServerErrorCode | EngineErrorCode;

  constructor(code: EngineServerErrorCode | EngineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Emitted as `connection_error` when a request is refused. `code` is the numeric Engine.IO
 * code (as in the `engine.io` package, one of {@link ERROR_CODES}), `req` the refused request.
 */
export class ConnectionError extends EngineServerError {
  override readonly name = "ConnectionError";
  declare readonly code: EngineErrorCode;
  readonly req: IncomingMessage;
  readonly context: ConnectionErrorContext;

  constructor(req: IncomingMessage, code: EngineErrorCode, context: ConnectionErrorContext = {}) {
    super(code, ERROR_MESSAGES[code]);
    this.req = req;
    this.context = context;
  }
}

/** The codes a {@link TransportError} carries: why one session ended (the `description` of its `close`). */
export const TRANSPORT_ERROR_CODES = Object.freeze({
  POLL_OVERLAP: ENGINE_SERVER_ERROR_CODES.POLL_OVERLAP,
  POST_OVERLAP: ENGINE_SERVER_ERROR_CODES.POST_OVERLAP,
  PAYLOAD_TOO_LARGE: ENGINE_SERVER_ERROR_CODES.PAYLOAD_TOO_LARGE,
  BODY_TIMEOUT: ENGINE_SERVER_ERROR_CODES.BODY_TIMEOUT,
  INVALID_CONTENT: ENGINE_SERVER_ERROR_CODES.INVALID_CONTENT,
  REQUEST_ABORTED: ENGINE_SERVER_ERROR_CODES.REQUEST_ABORTED,
  HEARTBEAT_DIRECTION: ENGINE_SERVER_ERROR_CODES.HEARTBEAT_DIRECTION,
  MESSAGE_TOO_LARGE: ENGINE_SERVER_ERROR_CODES.MESSAGE_TOO_LARGE,
  WEBSOCKET_ERROR: ENGINE_SERVER_ERROR_CODES.WEBSOCKET_ERROR,
  WRITE_ERROR: ENGINE_SERVER_ERROR_CODES.WRITE_ERROR,
  WRITE_BUFFER_FULL: ENGINE_SERVER_ERROR_CODES.WRITE_BUFFER_FULL,
} as const);

/** One of {@link TRANSPORT_ERROR_CODES}. */
export type TransportErrorCode = (typeof TRANSPORT_ERROR_CODES)[keyof typeof TRANSPORT_ERROR_CODES];

/** An error that ended one session; handed to `close` as its description. */
export class TransportError extends EngineServerError {
  override readonly name = "TransportError";
  /** Kept for `engine.io` compatibility: `err.type === "TransportError"`. */
  readonly type = "TransportError";
  declare readonly code: TransportErrorCode;

  constructor(code: TransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** The close codes a {@link FrameError} answers with (RFC 6455 §7.4.1). */
export type FrameErrorStatus = 1002 | 1007 | 1009;

/** The codes a {@link FrameError} carries. */
export type FrameErrorCode =
  | typeof ENGINE_SERVER_ERROR_CODES.WS_PROTOCOL_ERROR
  | typeof ENGINE_SERVER_ERROR_CODES.WS_INVALID_UTF8
  | typeof ENGINE_SERVER_ERROR_CODES.WS_MESSAGE_TOO_BIG;

/**
 * Why the built-in WebSocket engine refused a client's frames; `status` is the close code
 * it sent back. The `cause` of the session's TransportError, and the `error` event of the
 * engine's WebSocket.
 */
export class FrameError extends EngineServerError {
  override readonly name = "FrameError";
  declare readonly code: FrameErrorCode;
  readonly status: FrameErrorStatus;

  constructor(status: FrameErrorStatus, message: string) {
    super(
      status === 1009
        ? ENGINE_SERVER_ERROR_CODES.WS_MESSAGE_TOO_BIG
        : status === 1007
          ? ENGINE_SERVER_ERROR_CODES.WS_INVALID_UTF8
          : ENGINE_SERVER_ERROR_CODES.WS_PROTOCOL_ERROR,
      message,
    );
    this.status = status;
  }
}

/**
 * Thrown by `new Server()` / `resolveServerOptions()` for an option of the wrong type or
 * range. A `TypeError`, and `instanceof EngineServerError`.
 */
export class InvalidOptionError extends TypeError {
  override readonly name = "InvalidOptionError";
  readonly code: typeof ENGINE_SERVER_ERROR_CODES.INVALID_OPTION = ENGINE_SERVER_ERROR_CODES.INVALID_OPTION;
  /** The option at fault. */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super(`option "${option}" must be ${expected}, received ${describe(received)}`);
    this.option = option;
  }
}

/**
 * Thrown by `close(code)` of the built-in engine's WebSocket for a code an endpoint may not
 * send (1005, 1006, 1004, 1015, out of range, not a number), as ws throws it: a `TypeError`,
 * and `instanceof EngineServerError`. Nothing is written.
 */
export class InvalidCloseCodeError extends TypeError {
  override readonly name = "InvalidCloseCodeError";
  readonly code: typeof ENGINE_SERVER_ERROR_CODES.INVALID_CLOSE_CODE = ENGINE_SERVER_ERROR_CODES.INVALID_CLOSE_CODE;

  constructor(received: unknown) {
    super(`a close code must be 1000–1003, 1007–1014 or 3000–4999, received ${describe(received)}`);
  }
}

/**
 * Thrown by `close(code, reason)` of the built-in engine's WebSocket for a reason over 123
 * bytes (a control frame holds 125), as ws throws it: a `RangeError`, and
 * `instanceof EngineServerError`. Nothing is written.
 */
export class CloseReasonTooLongError extends RangeError {
  override readonly name = "CloseReasonTooLongError";
  readonly code: typeof ENGINE_SERVER_ERROR_CODES.CLOSE_REASON_TOO_LONG = ENGINE_SERVER_ERROR_CODES.CLOSE_REASON_TOO_LONG;

  constructor(length: number) {
    super(`a close reason must not be longer than 123 bytes, received ${length}`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null) return String(value);
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

brandErrors("engine-server", EngineServerError, [
  ConnectionError,
  TransportError,
  FrameError,
  InvalidOptionError,
  InvalidCloseCodeError,
  CloseReasonTooLongError,
]);
