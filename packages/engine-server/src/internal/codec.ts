import {
  decodePacket,
  decodePacketV3,
  decodePayload,
  decodePayloadV3,
  encodePacket,
  encodePacketV3,
  encodePayload,
  encodePayloadV3,
  type Packet,
} from "@volley/engine-parser";

/** How one protocol revision reads and writes packets, per transport. */
export interface Codec {
  /** A polling POST body to packets; an invalid one ends with an error packet. */
  decodePayload(body: Buffer, isBinary: boolean): Packet[];
  /** Packets to one polling response body. */
  encodePayload(packets: Packet[], supportsBinary: boolean): string | Buffer;
  /** A text WebSocket frame to a packet. */
  decodeText(text: string): Packet;
  /** A binary WebSocket frame to a packet. */
  decodeBinary(data: Buffer): Packet;
  /** A packet to one WebSocket frame. */
  encodeFrame(packet: Packet): string | Uint8Array;
}

/** Engine.IO v4: `\x1e`-joined text payloads, binary frames carry the raw data. */
export const CODEC_V4: Codec = Object.freeze({
  decodePayload: (body: Buffer): Packet[] => decodePayload(body.toString("utf8"), "nodebuffer"),
  encodePayload: (packets: Packet[]): string => encodePayload(packets),
  decodeText: (text: string): Packet => decodePacket(text, "nodebuffer"),
  decodeBinary: (data: Buffer): Packet => ({ type: "message", data }),
  encodeFrame: (packet: Packet): string | Uint8Array => encodePacket(packet, true) as string | Uint8Array,
});

/**
 * Engine.IO v3 (Socket.IO 2 clients): `<length>:<packet>` text payloads or XHR2 binary
 * payloads, binary frames that start with the packet type as a byte.
 */
export const CODEC_V3: Codec = Object.freeze({
  decodePayload: (body: Buffer, isBinary: boolean): Packet[] =>
    decodePayloadV3(isBinary ? body : body.toString("utf8"), "nodebuffer"),
  encodePayload: (packets: Packet[], supportsBinary: boolean): string | Buffer => {
    const payload = encodePayloadV3(packets, supportsBinary);
    return typeof payload === "string" ? payload : asBuffer(payload);
  },
  decodeText: (text: string): Packet => decodePacketV3(text, "nodebuffer"),
  decodeBinary: (data: Buffer): Packet => decodePacketV3(data, "nodebuffer"),
  encodeFrame: (packet: Packet): string | Uint8Array => encodePacketV3(packet, true) as string | Uint8Array,
});

/** The codec of a protocol revision. */
export function codecFor(protocol: 3 | 4): Codec {
  return protocol === 4 ? CODEC_V4 : CODEC_V3;
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
