// The error catalogue of @volley/engine-client, and the one place its errors are defined:
// every error the package emits or throws has a class and a stable string `code` from
// ENGINE_CLIENT_ERROR_CODES, which never changes meaning. Messages of transport errors keep
// engine.io-client's wording ("xhr poll error", "websocket error", …) so code written
// against it still reads them.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions).
//
// Fields set by a constructor are `declare`d: a plain field declaration would also be
// emitted as an own property definition before the constructor sets it, twice the code.

import { FULL_MESSAGES, brandErrors, describeValue, errorCodes } from "@volley/shared";

/**
 * Every code an error of this package may carry:
 * `ENGINE_CLIENT_ERROR_CODES.NAME === "VOLLEY_ENGINE_CLIENT_ERR_NAME"`.
 */
export const ENGINE_CLIENT_ERROR_CODES = errorCodes("VOLLEY_ENGINE_CLIENT_ERR_", [
  // An option passed to the Socket constructor is invalid ({@link InvalidOptionError}, thrown).
  "INVALID_OPTION",
  // `send()` was given something that is neither a string nor binary data ({@link InvalidMessageError}, thrown).
  "INVALID_MESSAGE",
  // An HTTP long-polling GET request failed ({@link TransportError}, "xhr poll error").
  "POLL_ERROR",
  // An HTTP long-polling POST request failed ({@link TransportError}, "xhr post error").
  "POST_ERROR",
  // The WebSocket failed or could not connect ({@link TransportError}, "websocket error").
  "WEBSOCKET_ERROR",
  // The transport cannot run in this environment ({@link TransportError}).
  "TRANSPORT_UNAVAILABLE",
  // The transports option leaves no transport to use ({@link TransportError}, emitted, not thrown).
  "NO_TRANSPORTS",
  // The server sent data that is not a valid Engine.IO packet ({@link ParseError}).
  "PARSE_ERROR",
  // Probing a transport for an upgrade failed ({@link ProbeError}).
  "PROBE_ERROR",
]);

/** The union of every code of {@link ENGINE_CLIENT_ERROR_CODES}. */
export type EngineClientErrorCode = (typeof ENGINE_CLIENT_ERROR_CODES)[keyof typeof ENGINE_CLIENT_ERROR_CODES];

/** @deprecated Use {@link EngineClientErrorCode}. */
export type ErrorCode = EngineClientErrorCode;

/** The codes a {@link TransportError} carries. */
export type TransportErrorCode =
  | typeof ENGINE_CLIENT_ERROR_CODES.POLL_ERROR
  | typeof ENGINE_CLIENT_ERROR_CODES.POST_ERROR
  | typeof ENGINE_CLIENT_ERROR_CODES.WEBSOCKET_ERROR
  | typeof ENGINE_CLIENT_ERROR_CODES.TRANSPORT_UNAVAILABLE
  | typeof ENGINE_CLIENT_ERROR_CODES.NO_TRANSPORTS;

/** The base class of every error of this package. */
export class EngineClientError extends Error {
  /** A stable identifier of the error, documented in the README. */
  declare readonly code: EngineClientErrorCode;

  constructor(code: EngineClientErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Thrown synchronously by the constructor when an option is invalid. */
export class InvalidOptionError extends EngineClientError {
  /** The name of the offending option. */
  declare readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    const code = ENGINE_CLIENT_ERROR_CODES.INVALID_OPTION;
    super(code, FULL_MESSAGES ? `option "${option}" must be ${expected}, received ${describeValue(received)}` : `${code} ${option}`);
    this.option = option;
  }
}

/** Thrown synchronously by `send()`/`write()` for data that is neither a string nor binary. */
export class InvalidMessageError extends EngineClientError {
  constructor(data: unknown) {
    const code = ENGINE_CLIENT_ERROR_CODES.INVALID_MESSAGE;
    super(
      code,
      FULL_MESSAGES ? `a message must be a string, an ArrayBuffer, a typed array, a Buffer or a Blob, received ${describeValue(data)}` : code,
    );
  }
}

/** The JSON body of an Engine.IO HTTP error response, e.g. `{"code":1,"message":"Session ID unknown"}`. */
export interface ServerErrorBody {
  code: number;
  message: string;
}

/**
 * A transport failed. `message` is engine.io-client's ("xhr poll error", "xhr post error",
 * "websocket error"); `description` and `context` carry the cause, as upstream.
 */
export class TransportError extends EngineClientError {
  declare readonly code: TransportErrorCode;
  /** Always "TransportError" (engine.io-client compatibility). */
  readonly type = "TransportError";
  /** The cause: an HTTP status, a network error, or an event. */
  declare readonly description: unknown;
  /** The low-level object involved (the request, the WebSocket event), when known. */
  declare readonly context: unknown;
  /** The HTTP status of a refused request, when there was a response. */
  declare readonly status: number | undefined;
  /** The server's Engine.IO error, when the response body carried one. */
  declare readonly serverError: ServerErrorBody | undefined;

  constructor(
    code: TransportErrorCode,
    message: string,
    details: { description?: unknown; context?: unknown; status?: number; body?: string } = {},
  ) {
    super(code, message, details.description instanceof Error ? { cause: details.description } : undefined);
    this.description = details.description;
    this.context = details.context;
    this.status = details.status;
    this.serverError = details.body === undefined ? undefined : parseServerError(details.body);
  }
}

/** The server sent a packet (or handshake) this client cannot read. */
export class ParseError extends EngineClientError {
  /** What could not be read (truncated). */
  declare readonly data: string;

  constructor(message: string, data: unknown) {
    super(ENGINE_CLIENT_ERROR_CODES.PARSE_ERROR, message);
    this.data = typeof data === "string" ? data.slice(0, 200) : describeValue(data);
  }
}

/** Emitted with `upgradeError` when a probed transport fails; the socket stays on its transport. */
export class ProbeError extends EngineClientError {
  /** The name of the transport that was probed. */
  declare readonly transport: string;

  constructor(transport: string, reason?: string, cause?: unknown) {
    super(ENGINE_CLIENT_ERROR_CODES.PROBE_ERROR, reason === undefined ? "probe error" : `probe error: ${reason}`, {
      cause,
    });
    this.transport = transport;
  }
}

function parseServerError(body: string): ServerErrorBody | undefined {
  try {
    // null has no property to read; a primitive or an array has no code.
    const parsed = JSON.parse(body) as Partial<Record<keyof ServerErrorBody, unknown>> | null;
    if (typeof parsed?.code === "number" && typeof parsed.message === "string") {
      return { code: parsed.code, message: parsed.message };
    }
  } catch {
    // not JSON: the body is kept out of the error
  }
  return undefined;
}

brandErrors("engine-client", EngineClientError, [InvalidOptionError, InvalidMessageError, TransportError, ParseError, ProbeError]);
