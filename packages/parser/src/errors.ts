// The error catalogue of the parser, and the one place its errors are defined. Every error
// carries a stable string `code` from PARSER_ERROR_CODES, which never changes meaning.
// Messages begin with the text socket.io-parser 4 throws for the same fault (where it
// throws one), so that code matching on those texts keeps working; the detail after it
// may change between versions.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions).

import { brandErrors } from "@volley/shared";

/** Every code an error of this package may carry: `PARSER_ERROR_CODES.NAME === "VOLLEY_PARSER_ERR_NAME"`. */
export const PARSER_ERROR_CODES = Object.freeze({
  /** `add()` was given something that is neither a string nor binary data. */
  INVALID_INPUT: "VOLLEY_PARSER_ERR_INVALID_INPUT",
  /** The packet is empty or its first character is not a known packet type. */
  UNKNOWN_TYPE: "VOLLEY_PARSER_ERR_UNKNOWN_TYPE",
  /** The attachment count of a binary packet is missing, malformed or zero. */
  INVALID_ATTACHMENTS: "VOLLEY_PARSER_ERR_INVALID_ATTACHMENTS",
  /** A binary packet announces (decoding) or holds (encoding) more attachments than `maxAttachments`. */
  TOO_MANY_ATTACHMENTS: "VOLLEY_PARSER_ERR_TOO_MANY_ATTACHMENTS",
  /** The namespace is not `/…` or holds a control character. */
  INVALID_NAMESPACE: "VOLLEY_PARSER_ERR_INVALID_NAMESPACE",
  /** The ack id is not a non-negative safe integer, or an ACK has none. */
  INVALID_ACK_ID: "VOLLEY_PARSER_ERR_INVALID_ACK_ID",
  /** The payload is not valid JSON. */
  INVALID_JSON: "VOLLEY_PARSER_ERR_INVALID_JSON",
  /** The payload does not have the shape its packet type requires. */
  INVALID_PAYLOAD: "VOLLEY_PARSER_ERR_INVALID_PAYLOAD",
  /** An EVENT uses a reserved name (connect, disconnect, …). */
  RESERVED_EVENT: "VOLLEY_PARSER_ERR_RESERVED_EVENT",
  /** A binary placeholder is malformed or points past the announced attachments. */
  INVALID_PLACEHOLDER: "VOLLEY_PARSER_ERR_INVALID_PLACEHOLDER",
  /** The payload holds a `__proto__` or `constructor` key (prototype pollution attempt). */
  FORBIDDEN_KEY: "VOLLEY_PARSER_ERR_FORBIDDEN_KEY",
  /** The payload nests deeper than `maxDepth` (decoding or encoding). */
  TOO_DEEP: "VOLLEY_PARSER_ERR_TOO_DEEP",
  /** The text packet is longer than `maxPacketLength`. */
  PACKET_TOO_LONG: "VOLLEY_PARSER_ERR_PACKET_TOO_LONG",
  /** The attachments of one packet add up to more than `maxAttachmentBytes`. */
  ATTACHMENTS_TOO_LARGE: "VOLLEY_PARSER_ERR_ATTACHMENTS_TOO_LARGE",
  /** Binary data arrived while no binary packet was waiting for attachments. */
  UNEXPECTED_BINARY: "VOLLEY_PARSER_ERR_UNEXPECTED_BINARY",
  /** A text packet arrived while a binary packet was still waiting for attachments. */
  UNEXPECTED_TEXT: "VOLLEY_PARSER_ERR_UNEXPECTED_TEXT",
  /** `encode()` was given an unknown type, a bad namespace or ack id, or data of the wrong shape. */
  INVALID_PACKET: "VOLLEY_PARSER_ERR_INVALID_PACKET",
  /** The payload given to `encode()` refers to itself. */
  CIRCULAR: "VOLLEY_PARSER_ERR_CIRCULAR",
  /** The payload given to `encode()` cannot be serialized (a BigInt, a throwing `toJSON`, …). */
  UNSERIALIZABLE: "VOLLEY_PARSER_ERR_UNSERIALIZABLE",
  /** An option of `new Encoder()`/`new Decoder()` has the wrong type (a `TypeError`). */
  INVALID_OPTION: "VOLLEY_PARSER_ERR_INVALID_OPTION",
  /** A numeric option is negative, fractional or zero where at least 1 is needed (a `RangeError`). */
  OPTION_OUT_OF_RANGE: "VOLLEY_PARSER_ERR_OPTION_OUT_OF_RANGE",
} as const);

/** The union of every code of {@link PARSER_ERROR_CODES}. */
export type ParserErrorCode = (typeof PARSER_ERROR_CODES)[keyof typeof PARSER_ERROR_CODES];

/** The codes a {@link DecodeError} carries: why a chunk received from a peer was rejected. */
export const DecodeErrorCode = Object.freeze({
  INVALID_INPUT: PARSER_ERROR_CODES.INVALID_INPUT,
  UNKNOWN_TYPE: PARSER_ERROR_CODES.UNKNOWN_TYPE,
  INVALID_ATTACHMENTS: PARSER_ERROR_CODES.INVALID_ATTACHMENTS,
  TOO_MANY_ATTACHMENTS: PARSER_ERROR_CODES.TOO_MANY_ATTACHMENTS,
  INVALID_NAMESPACE: PARSER_ERROR_CODES.INVALID_NAMESPACE,
  INVALID_ACK_ID: PARSER_ERROR_CODES.INVALID_ACK_ID,
  INVALID_JSON: PARSER_ERROR_CODES.INVALID_JSON,
  INVALID_PAYLOAD: PARSER_ERROR_CODES.INVALID_PAYLOAD,
  RESERVED_EVENT: PARSER_ERROR_CODES.RESERVED_EVENT,
  INVALID_PLACEHOLDER: PARSER_ERROR_CODES.INVALID_PLACEHOLDER,
  FORBIDDEN_KEY: PARSER_ERROR_CODES.FORBIDDEN_KEY,
  TOO_DEEP: PARSER_ERROR_CODES.TOO_DEEP,
  PACKET_TOO_LONG: PARSER_ERROR_CODES.PACKET_TOO_LONG,
  ATTACHMENTS_TOO_LARGE: PARSER_ERROR_CODES.ATTACHMENTS_TOO_LARGE,
  UNEXPECTED_BINARY: PARSER_ERROR_CODES.UNEXPECTED_BINARY,
  UNEXPECTED_TEXT: PARSER_ERROR_CODES.UNEXPECTED_TEXT,
} as const);

export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/** The codes an {@link EncodeError} carries: why a packet given to `encode()` cannot be sent. */
export const EncodeErrorCode = Object.freeze({
  INVALID_PACKET: PARSER_ERROR_CODES.INVALID_PACKET,
  CIRCULAR: PARSER_ERROR_CODES.CIRCULAR,
  TOO_DEEP: PARSER_ERROR_CODES.TOO_DEEP,
  TOO_MANY_ATTACHMENTS: PARSER_ERROR_CODES.TOO_MANY_ATTACHMENTS,
  UNSERIALIZABLE: PARSER_ERROR_CODES.UNSERIALIZABLE,
} as const);

export type EncodeErrorCode = (typeof EncodeErrorCode)[keyof typeof EncodeErrorCode];

/**
 * Base class of the parser's errors. The option errors extend `TypeError`/`RangeError`
 * instead (what option checks throw in Node.js), and are `instanceof ParserError` too.
 */
export class ParserError extends Error {
  /** Stable machine-readable code, `VOLLEY_PARSER_ERR_*`. */
  readonly code: ParserErrorCode;

  constructor(code: ParserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Thrown by `Decoder#add()` for input that is not a valid Socket.IO packet. The decoder
 * has dropped any partial packet by then; the owner of the connection should close it
 * (Socket.IO's "parse error") and leave other connections alone.
 */
export class DecodeError extends ParserError {
  declare readonly code: DecodeErrorCode;
  override name = "DecodeError";

  constructor(code: DecodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** Thrown by `Encoder#encode()` for a packet that cannot be sent. Nothing was written. */
export class EncodeError extends ParserError {
  declare readonly code: EncodeErrorCode;
  override name = "EncodeError";

  constructor(code: EncodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * Thrown by `new Encoder()`/`new Decoder()` for an option of the wrong type (or options
 * that are not an object). A `TypeError`, and `instanceof ParserError`.
 */
export class InvalidOptionError extends TypeError {
  readonly code: typeof PARSER_ERROR_CODES.INVALID_OPTION = PARSER_ERROR_CODES.INVALID_OPTION;
  override name = "InvalidOptionError";
  /** The name of the option (`"options"` for the options object itself). */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/**
 * Thrown by `new Encoder()`/`new Decoder()` for a numeric option out of its range. A
 * `RangeError`, and `instanceof ParserError`.
 */
export class OptionRangeError extends RangeError {
  readonly code: typeof PARSER_ERROR_CODES.OPTION_OUT_OF_RANGE = PARSER_ERROR_CODES.OPTION_OUT_OF_RANGE;
  override name = "OptionRangeError";
  /** The name of the option. */
  readonly option: string;

  constructor(option: string, message: string) {
    super(message);
    this.option = option;
  }
}

/**
 * The EncodeError for a payload JSON cannot write, `error` being what was thrown while
 * walking or writing it (a BigInt's TypeError, a toJSON's or a replacer's own error). Its
 * message begins with that error's, which is what socket.io-parser lets through.
 */
export function unserializableError(error: unknown): EncodeError {
  let message: string;
  try {
    message = error instanceof Error ? error.message : String(error);
  } catch {
    message = "unknown error"; // a thrown object that cannot be turned into a string
  }
  return new EncodeError(EncodeErrorCode.UNSERIALIZABLE, `${message} (the payload cannot be serialized)`, {
    cause: error,
  });
}

brandErrors("parser", ParserError, [DecodeError, EncodeError, InvalidOptionError, OptionRangeError]);
