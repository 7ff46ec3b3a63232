// The error catalogue of the parser. Every error carries a stable string `code`, which
// never changes. Messages begin with the text socket.io-parser 4 throws for the same fault
// (where it throws one), so that code matching on those texts keeps working; the detail
// after it may change between versions.

const kParserError = Symbol.for("volley.parser.error");
const kDecodeError = Symbol.for("volley.parser.decode-error");
const kEncodeError = Symbol.for("volley.parser.encode-error");

/** Codes of {@link DecodeError}: why a chunk received from a peer was rejected. */
export const DecodeErrorCode = {
  /** `add()` was given something that is neither a string nor binary data. */
  INVALID_INPUT: "VOLLEY_PARSER_ERR_INVALID_INPUT",
  /** The packet is empty or its first character is not a known packet type. */
  UNKNOWN_TYPE: "VOLLEY_PARSER_ERR_UNKNOWN_TYPE",
  /** The attachment count of a binary packet is missing, malformed or zero. */
  INVALID_ATTACHMENTS: "VOLLEY_PARSER_ERR_INVALID_ATTACHMENTS",
  /** A binary packet announces more attachments than `maxAttachments`. */
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
  /** The payload nests deeper than `maxDepth`. */
  TOO_DEEP: "VOLLEY_PARSER_ERR_TOO_DEEP",
  /** The text packet is longer than `maxPacketLength`. */
  PACKET_TOO_LONG: "VOLLEY_PARSER_ERR_PACKET_TOO_LONG",
  /** The attachments of one packet add up to more than `maxAttachmentBytes`. */
  ATTACHMENTS_TOO_LARGE: "VOLLEY_PARSER_ERR_ATTACHMENTS_TOO_LARGE",
  /** Binary data arrived while no binary packet was waiting for attachments. */
  UNEXPECTED_BINARY: "VOLLEY_PARSER_ERR_UNEXPECTED_BINARY",
  /** A text packet arrived while a binary packet was still waiting for attachments. */
  UNEXPECTED_TEXT: "VOLLEY_PARSER_ERR_UNEXPECTED_TEXT",
} as const;

export type DecodeErrorCode = (typeof DecodeErrorCode)[keyof typeof DecodeErrorCode];

/** Codes of {@link EncodeError}: why a packet given to `encode()` cannot be sent. */
export const EncodeErrorCode = {
  /** Unknown type, bad namespace or ack id, or data of the wrong shape for the type. */
  INVALID_PACKET: "VOLLEY_PARSER_ERR_INVALID_PACKET",
  /** The payload refers to itself. */
  CIRCULAR: "VOLLEY_PARSER_ERR_CIRCULAR",
  /** The payload nests deeper than `maxDepth`. */
  TOO_DEEP: "VOLLEY_PARSER_ERR_TOO_DEEP",
  /** The payload holds more binary values than `maxAttachments`. */
  TOO_MANY_ATTACHMENTS: "VOLLEY_PARSER_ERR_TOO_MANY_ATTACHMENTS",
  /** The payload cannot be serialized (a BigInt, a throwing `toJSON`, …). */
  UNSERIALIZABLE: "VOLLEY_PARSER_ERR_UNSERIALIZABLE",
} as const;

export type EncodeErrorCode = (typeof EncodeErrorCode)[keyof typeof EncodeErrorCode];

/**
 * Base class of the parser's errors. `instanceof` works across copies of the package
 * (ESM and CommonJS, or two installed versions) because it checks a `Symbol.for` brand.
 */
export class ParserError extends Error {
  /** Stable machine-readable code, `VOLLEY_PARSER_ERR_*`. */
  readonly code: DecodeErrorCode | EncodeErrorCode;

  constructor(code: DecodeErrorCode | EncodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }

  get [kParserError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, kParserError);
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

  get [kDecodeError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, kDecodeError);
  }
}

/** Thrown by `Encoder#encode()` for a packet that cannot be sent. Nothing was written. */
export class EncodeError extends ParserError {
  declare readonly code: EncodeErrorCode;
  override name = "EncodeError";

  constructor(code: EncodeErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }

  get [kEncodeError](): true {
    return true;
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    return hasBrand(value, kEncodeError);
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

function hasBrand(value: unknown, brand: symbol): boolean {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
}
