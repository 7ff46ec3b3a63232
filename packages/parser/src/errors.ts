// The error catalogue of the parser, and the one place its errors are defined. Every error
// carries a stable string `code` from PARSER_ERROR_CODES, which never changes meaning.
// Messages begin with the text socket.io-parser 4 throws for the same fault (where it
// throws one), so that code matching on those texts keeps working; the detail after it
// may change between versions.
//
// `instanceof` checks a brand registered with Symbol.for, not the class identity, so it
// holds across copies of the package (the ESM and CommonJS builds in one process, two
// installed versions).

import { CHECK_OPTIONS, FULL_MESSAGES, brandErrors, errorCodes } from "@volley/shared";

/** The codes a {@link DecodeError} carries: why a chunk received from a peer was rejected. */
export const DecodeErrorCode = errorCodes("VOLLEY_PARSER_ERR_", [
  // `add()` was given something that is neither a string nor binary data.
  "INVALID_INPUT",
  // The packet is empty or its first character is not a known packet type.
  "UNKNOWN_TYPE",
  // The attachment count of a binary packet is missing, malformed or zero.
  "INVALID_ATTACHMENTS",
  // A binary packet announces (decoding) or holds (encoding) more attachments than `maxAttachments`.
  "TOO_MANY_ATTACHMENTS",
  // The namespace is not `/…` or holds a control character.
  "INVALID_NAMESPACE",
  // The ack id is not a non-negative safe integer, or an ACK has none.
  "INVALID_ACK_ID",
  // The payload is not valid JSON.
  "INVALID_JSON",
  // The payload does not have the shape its packet type requires.
  "INVALID_PAYLOAD",
  // An EVENT uses a reserved name (connect, disconnect, …).
  "RESERVED_EVENT",
  // A binary placeholder is malformed or points past the announced attachments.
  "INVALID_PLACEHOLDER",
  // The payload holds a `__proto__` or `constructor` key (prototype pollution attempt).
  "FORBIDDEN_KEY",
  // The payload nests deeper than `maxDepth` (decoding or encoding).
  "TOO_DEEP",
  // The text packet is longer than `maxPacketLength`.
  "PACKET_TOO_LONG",
  // The attachments of one packet add up to more than `maxAttachmentBytes`.
  "ATTACHMENTS_TOO_LARGE",
  // Binary data arrived while no binary packet was waiting for attachments.
  "UNEXPECTED_BINARY",
  // A text packet arrived while a binary packet was still waiting for attachments.
  "UNEXPECTED_TEXT",
]);

export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/** The codes an {@link EncodeError} carries: why a packet given to `encode()` cannot be sent. */
export const EncodeErrorCode = errorCodes("VOLLEY_PARSER_ERR_", [
  // `encode()` was given an unknown type, a bad namespace or ack id, or data of the wrong shape.
  "INVALID_PACKET",
  // The payload given to `encode()` refers to itself.
  "CIRCULAR",
  "TOO_DEEP", // decoding too
  "TOO_MANY_ATTACHMENTS", // decoding too
  // The payload given to `encode()` cannot be serialized (a BigInt, a throwing `toJSON`, …).
  "UNSERIALIZABLE",
]);

export type EncodeErrorCode = (typeof EncodeErrorCode)[keyof typeof EncodeErrorCode];

// (Pure: a bundle that never reads it, as the minified client bundles, leaves it out.)
/** Every code an error of this package may carry: `PARSER_ERROR_CODES.NAME === "VOLLEY_PARSER_ERR_NAME"`. */
export const PARSER_ERROR_CODES = /* @__PURE__ */ Object.freeze({
  ...DecodeErrorCode,
  ...EncodeErrorCode,
  .../* @__PURE__ */ errorCodes("VOLLEY_PARSER_ERR_", [
    // An option of `new Encoder()`/`new Decoder()` has the wrong type (a `TypeError`).
    "INVALID_OPTION",
    // A numeric option is negative, fractional or zero where at least 1 is needed (a `RangeError`).
    "OPTION_OUT_OF_RANGE",
  ]),
});

/** The union of every code of {@link PARSER_ERROR_CODES}. */
export type ParserErrorCode = (typeof PARSER_ERROR_CODES)[keyof typeof PARSER_ERROR_CODES];

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

// How the parser builds its errors. `message` writes the message and is called only when the
// build carries full messages: the minified browser bundles (FULL_MESSAGES false) take the
// code as the message, and the minifier drops the functions that write them.

/** A DecodeError with `code`, and the message `message()` writes (the code in the minified bundles). */
export function decodeError(code: DecodeErrorCode, message: () => string, options?: { cause?: unknown }): DecodeError {
  return new DecodeError(code, FULL_MESSAGES ? message() : code, options);
}

/** An EncodeError with `code`, and the message `message()` writes (the code in the minified bundles). */
export function encodeError(code: EncodeErrorCode, message: () => string, options?: { cause?: unknown }): EncodeError {
  return new EncodeError(code, FULL_MESSAGES ? message() : code, options);
}

/**
 * The EncodeError for a payload JSON cannot write, `error` being what was thrown while
 * walking or writing it (a BigInt's TypeError, a toJSON's or a replacer's own error). Its
 * message begins with that error's, which is what socket.io-parser lets through.
 */
export function unserializableError(error: unknown): EncodeError {
  return encodeError(EncodeErrorCode.UNSERIALIZABLE, () => `${messageOf(error)} (the payload cannot be serialized)`, { cause: error });
}

function messageOf(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return "unknown error"; // a thrown object that cannot be turned into a string
  }
}

// Only option checks throw the option errors: a build without them (the minified client
// bundles, CHECK_OPTIONS false) never makes one, and leaves both classes out.
brandErrors("parser", ParserError, [DecodeError, EncodeError, ...(CHECK_OPTIONS ? [InvalidOptionError, OptionRangeError] : [])]);
