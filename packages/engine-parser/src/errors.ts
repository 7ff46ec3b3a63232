// The error catalogue of @volley/engine-parser, and the one place its errors are defined.
// Only the encoders throw, and only for programming errors (a packet type that does not
// travel, a Blob given to a synchronous encoder); the decoders never throw, they return the
// error packet `{ type: "error", data: "parser error" }`. Every error carries a stable
// string `code` from ENGINE_PARSER_ERROR_CODES, which never changes meaning.
//
// The thrown classes extend TypeError, what the encoders threw before there was a
// catalogue (code checking `instanceof TypeError` keeps working), and are `instanceof
// EngineParserError` too. `instanceof` checks a brand registered with Symbol.for, not the
// class identity, so it holds across copies of the package (the ESM and CommonJS builds in
// one process, two installed versions).
//
// Fields set by a constructor are `declare`d: a plain field declaration would also be
// emitted as an own property definition before the constructor sets it, twice the code.

import { FULL_MESSAGES, brandErrors, errorCodes } from "@volley/shared";

/**
 * Every code an error of this package may carry:
 * `ENGINE_PARSER_ERROR_CODES.NAME === "VOLLEY_ENGINE_PARSER_ERR_NAME"`.
 */
export const ENGINE_PARSER_ERROR_CODES = errorCodes("VOLLEY_ENGINE_PARSER_ERR_", [
  // An encoder got a packet whose type does not travel: `error`, or anything outside `PACKET_TYPES` ({@link InvalidPacketTypeError}).
  "INVALID_PACKET_TYPE",
  // A synchronous encoder got a Blob it would have to read ({@link SyncBlobError}).
  "SYNC_BLOB",
]);

/** The union of every code of {@link ENGINE_PARSER_ERROR_CODES}. */
export type EngineParserErrorCode = (typeof ENGINE_PARSER_ERROR_CODES)[keyof typeof ENGINE_PARSER_ERROR_CODES];

/**
 * Base class of the package's errors. The classes thrown today extend `TypeError` instead
 * and are `instanceof EngineParserError` through its brand.
 */
export class EngineParserError extends Error {
  /** The code of errors of this class; the base class has none of its own. */
  static readonly code: EngineParserErrorCode | undefined = undefined;
  /** Stable machine-readable code, `VOLLEY_ENGINE_PARSER_ERR_*`. */
  declare readonly code: EngineParserErrorCode;
  override name = "EngineParserError";

  constructor(code: EngineParserErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Thrown by the encoders (`encodePacket`, `encodePayload`, their v3 and async forms, the
 * encoder stream) for a packet whose type does not travel: `error`, or anything outside
 * `PACKET_TYPES`. A `TypeError`, and `instanceof EngineParserError`.
 */
export class InvalidPacketTypeError extends TypeError {
  static readonly code = ENGINE_PARSER_ERROR_CODES.INVALID_PACKET_TYPE;
  readonly code: typeof ENGINE_PARSER_ERROR_CODES.INVALID_PACKET_TYPE = ENGINE_PARSER_ERROR_CODES.INVALID_PACKET_TYPE;
  override name = "InvalidPacketTypeError";
  /** The packet type that was given. */
  declare readonly packetType: unknown;

  constructor(packetType: unknown) {
    super(FULL_MESSAGES ? `cannot encode a packet of type ${describe(packetType)}` : ENGINE_PARSER_ERROR_CODES.INVALID_PACKET_TYPE);
    this.packetType = packetType;
  }
}

/**
 * Thrown by a synchronous encoder (`encodePacket` or `encodePacketV3` without binary
 * support, `encodePayloadV3` with binary support) for a packet carrying a `Blob`, which
 * cannot be read synchronously: use the async encoders. A `TypeError`, and
 * `instanceof EngineParserError`.
 */
export class SyncBlobError extends TypeError {
  static readonly code = ENGINE_PARSER_ERROR_CODES.SYNC_BLOB;
  readonly code: typeof ENGINE_PARSER_ERROR_CODES.SYNC_BLOB = ENGINE_PARSER_ERROR_CODES.SYNC_BLOB;
  override name = "SyncBlobError";

  constructor(message: string) {
    super(message);
  }
}

function describe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value); // undefined, a function, a symbol: no JSON
  } catch {
    return typeof value; // a BigInt, a circular object…
  }
}

brandErrors("engine-parser", EngineParserError, [InvalidPacketTypeError, SyncBlobError]);
