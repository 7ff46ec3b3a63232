export { protocol, PacketType, RESERVED_EVENTS } from "./packet";
export type { Packet, BinaryData, EncodedChunk } from "./packet";
export type { Parser, ParserEncoder, ParserDecoder, ParserDecoderEvents, ParserModule, ParserOption } from "./contract";
export { toParser } from "./parser-option";
export { Encoder } from "./encoder";
export { Decoder } from "./decoder";
export type { DecoderEvents } from "./decoder";
export { DEFAULT_ENCODER_OPTIONS, DEFAULT_DECODER_OPTIONS } from "./options";
export type {
  EncoderOptions,
  DecoderOptions,
  ResolvedEncoderOptions,
  ResolvedDecoderOptions,
  JSONReviver,
  JSONReplacer,
} from "./options";
export {
  PARSER_ERROR_CODES,
  ParserError,
  DecodeError,
  EncodeError,
  InvalidOptionError,
  OptionRangeError,
  DecodeErrorCode,
  EncodeErrorCode,
} from "./errors";
export type { ParserErrorCode } from "./errors";
export { isBinary, hasBinary } from "./is-binary";
export { isPacketValid } from "./validate";
