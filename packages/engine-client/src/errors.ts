// The error catalogue of @volley/engine-client: every error the package emits or throws has
// a class and a stable string `code`. Messages of transport errors keep engine.io-client's
// wording ("xhr poll error", "websocket error", …) so code written against it still reads them.

/** Every error code of this package, and what it means. */
export const ERROR_CODES = {
  VOLLEY_ENGINE_CLIENT_INVALID_OPTION: "an option passed to the Socket constructor is invalid",
  VOLLEY_ENGINE_CLIENT_INVALID_MESSAGE: "send() was given something that is neither a string nor binary data",
  VOLLEY_ENGINE_CLIENT_POLL_ERROR: "an HTTP long-polling GET request failed",
  VOLLEY_ENGINE_CLIENT_POST_ERROR: "an HTTP long-polling POST request failed",
  VOLLEY_ENGINE_CLIENT_WEBSOCKET_ERROR: "the WebSocket failed or could not connect",
  VOLLEY_ENGINE_CLIENT_TRANSPORT_UNAVAILABLE: "the transport cannot run in this environment",
  VOLLEY_ENGINE_CLIENT_NO_TRANSPORTS: "the transports option leaves no transport to use (emitted, not thrown)",
  VOLLEY_ENGINE_CLIENT_PARSE_ERROR: "the server sent data that is not a valid Engine.IO packet",
  VOLLEY_ENGINE_CLIENT_PROBE_ERROR: "probing a transport for an upgrade failed",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The base class of every error of this package. */
export class EngineClientError extends Error {
  /** A stable identifier of the error, documented in the README. */
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Thrown synchronously by the constructor when an option is invalid. */
export class InvalidOptionError extends EngineClientError {
  /** The name of the offending option. */
  readonly option: string;

  constructor(option: string, expected: string, received: unknown) {
    super("VOLLEY_ENGINE_CLIENT_INVALID_OPTION", `option "${option}" must be ${expected}, received ${describe(received)}`);
    this.option = option;
  }
}

/** Thrown synchronously by `send()`/`write()` for data that is neither a string nor binary. */
export class InvalidMessageError extends EngineClientError {
  constructor(data: unknown) {
    super(
      "VOLLEY_ENGINE_CLIENT_INVALID_MESSAGE",
      `a message must be a string, an ArrayBuffer, a typed array, a Buffer or a Blob, received ${describe(data)}`,
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
  /** Always "TransportError" (engine.io-client compatibility). */
  readonly type = "TransportError";
  /** The cause: an HTTP status, a network error, or an event. */
  readonly description: unknown;
  /** The low-level object involved (the request, the WebSocket event), when known. */
  readonly context: unknown;
  /** The HTTP status of a refused request, when there was a response. */
  readonly status: number | undefined;
  /** The server's Engine.IO error, when the response body carried one. */
  readonly serverError: ServerErrorBody | undefined;

  constructor(
    code: ErrorCode,
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
  readonly data: string;

  constructor(message: string, data: unknown) {
    super("VOLLEY_ENGINE_CLIENT_PARSE_ERROR", message);
    this.data = typeof data === "string" ? data.slice(0, 200) : describe(data);
  }
}

/** Emitted with `upgradeError` when a probed transport fails; the socket stays on its transport. */
export class ProbeError extends EngineClientError {
  /** The name of the transport that was probed. */
  readonly transport: string;

  constructor(transport: string, reason?: string, cause?: unknown) {
    super("VOLLEY_ENGINE_CLIENT_PROBE_ERROR", reason === undefined ? "probe error" : `probe error: ${reason}`, {
      cause,
    });
    this.transport = transport;
  }
}

function parseServerError(body: string): ServerErrorBody | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === "object" &&
      parsed !== null &&
      typeof (parsed as { code?: unknown }).code === "number" &&
      typeof (parsed as { message?: unknown }).message === "string"
    ) {
      const { code, message } = parsed as ServerErrorBody;
      return { code, message };
    }
  } catch {
    // not JSON: the body is kept out of the error
  }
  return undefined;
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 50 ? value.slice(0, 50) + "…" : value);
  if (typeof value === "function") return "a function";
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  if (typeof value === "object") return "an object";
  return String(value);
}
