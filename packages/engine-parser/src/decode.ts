import { decodeBase64 } from "./base64";
import { convertBinary, DEFAULT_BINARY_TYPE, isBinary } from "./binary";
import { SEPARATOR, type BinaryType, type ErrorPacket, type Packet, type RawData } from "./packet";
import { packetTypeOfCode } from "./type-codes";

const LETTER_B = 98;

/**
 * Decodes one packet: a text frame or polling chunk (`<type digit>[data]`, or `b` +
 * base64 for binary), or a binary WebSocket frame (always a `message`). Binary data is
 * handed back as `binaryType` ("nodebuffer" by default in Node.js, "arraybuffer"
 * elsewhere). Input that is not a valid packet decodes to the error packet
 * `{ type: "error", data: "parser error" }`; this function never throws.
 *
 * @example
 * decodePacket("4hello"); // { type: "message", data: "hello" }
 * decodePacket("bAQID", "arraybuffer"); // { type: "message", data: ArrayBuffer [1, 2, 3] }
 * decodePacket("9"); // { type: "error", data: "parser error" }
 */
export function decodePacket(encoded: RawData, binaryType: BinaryType = DEFAULT_BINARY_TYPE): Packet {
  if (typeof encoded !== "string") {
    return isBinary(encoded) ? { type: "message", data: convertBinary(encoded, binaryType) } : errorPacket();
  }
  const code = encoded.charCodeAt(0); // NaN for "", which matches nothing below
  const type = packetTypeOfCode(code);
  if (type !== undefined) return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
  if (code === LETTER_B) {
    const bytes = decodeBase64(encoded, 1);
    return bytes === undefined ? errorPacket() : { type: "message", data: convertBinary(bytes, binaryType) };
  }
  return errorPacket();
}

/**
 * Decodes a long-polling payload (packets joined by `\x1e`) into its packets. Decoding
 * stops at the first invalid packet, which is returned last as the error packet, so that
 * the caller can close the session. Never throws.
 *
 * @example
 * decodePayload("4hi\x1e2"); // [{ type: "message", data: "hi" }, { type: "ping" }]
 */
export function decodePayload(payload: string, binaryType: BinaryType = DEFAULT_BINARY_TYPE): Packet[] {
  if (typeof payload !== "string") return [errorPacket()];
  const packets: Packet[] = [];
  let start = 0;
  for (;;) {
    const end = payload.indexOf(SEPARATOR, start);
    const packet = decodePacket(end === -1 ? payload.slice(start) : payload.slice(start, end), binaryType);
    packets.push(packet);
    if (end === -1 || packet.type === "error") return packets;
    start = end + 1;
  }
}

/** A fresh error packet each time, so that a caller mutating one harms no other. */
export function errorPacket(): ErrorPacket {
  return { type: "error", data: "parser error" };
}
