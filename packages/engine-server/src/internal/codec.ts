import { decodePacket, decodePayload, encodePacket, encodePayload, type Packet } from "@volley/engine-parser";

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

/** The codec of a protocol revision. */
export function codecFor(protocol: 3 | 4): Codec {
  return protocol === 4 ? CODEC_V4 : CODEC_V4;
}
