export { protocol, PACKET_TYPES, SEPARATOR, ERROR_PACKET } from "./packet";
export type {
  BinaryData,
  BinaryType,
  ErrorPacket,
  Packet,
  PacketOptions,
  PacketType,
  RawData,
  WirePacketType,
} from "./packet";
export { encodePacket, encodePacketAsync, encodePayload, encodePayloadAsync } from "./encode";
export type { EncodedPacket, EncodePacketCallback, EncodePayloadCallback } from "./encode";
export { decodePacket, decodePayload } from "./decode";
export { createPacketEncoderStream } from "./stream-encode";
export { createPacketDecoderStream } from "./stream-decode";
export { protocolV3, encodePacketV3, decodePacketV3 } from "./v3-packet";
export { encodePayloadV3, decodePayloadV3 } from "./v3-payload";
export {
  ENGINE_PARSER_ERROR_CODES,
  EngineParserError,
  InvalidPacketTypeError,
  SyncBlobError,
} from "./errors";
export type { EngineParserErrorCode } from "./errors";
