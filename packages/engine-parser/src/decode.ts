import { base64ToBinary, convertBinary, DEFAULT_BINARY_TYPE, isBinary } from "./binary";
import { ERROR_PACKET, PACKET_TYPE_BY_CODE, SEPARATOR, type BinaryType, type Packet, type RawData } from "./packet";

/**
 * Decodes one packet: a text frame or polling chunk, or a binary WebSocket frame (which is
 * always a `message`). Input that is not a valid packet decodes to the error packet
 * `{ type: "error", data: "parser error" }`; this function never throws.
 */
export function decodePacket(encoded: RawData, binaryType: BinaryType = DEFAULT_BINARY_TYPE): Packet {
  if (typeof encoded !== "string") {
    if (!isBinary(encoded)) return { ...ERROR_PACKET };
    return { type: "message", data: convertBinary(encoded, binaryType) };
  }
  if (encoded.length === 0) return { ...ERROR_PACKET };
  const code = encoded.charCodeAt(0);
  if (code === 98 /* b */) {
    const data = base64ToBinary(encoded, 1, binaryType);
    return data === undefined ? { ...ERROR_PACKET } : { type: "message", data };
  }
  const type = PACKET_TYPE_BY_CODE[code - 48];
  if (type === undefined) return { ...ERROR_PACKET };
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}

/**
 * Decodes a long-polling payload into its packets. Decoding stops at the first invalid
 * packet, which is returned last as the error packet, so the caller can close the session.
 */
export function decodePayload(payload: string, binaryType: BinaryType = DEFAULT_BINARY_TYPE): Packet[] {
  const packets: Packet[] = [];
  let start = 0;
  while (start <= payload.length) {
    let end = payload.indexOf(SEPARATOR, start);
    if (end === -1) end = payload.length;
    const packet = decodePacket(payload.slice(start, end), binaryType);
    packets.push(packet);
    if (packet.type === "error") break;
    start = end + 1;
  }
  return packets;
}
