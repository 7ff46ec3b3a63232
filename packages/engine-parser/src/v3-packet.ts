// Engine.IO protocol v3 packets, spoken by Socket.IO 2 clients (engine-server `allowEIO3`).
// v3 differs from v4 in how binary travels: a binary WebSocket frame starts with the packet
// type as a byte, and base64 binary is `b<type digit><base64>` (v4 drops the type digit,
// since binary is always a message there).

import {
  base64ToBinary,
  concatBytes,
  convertBinary,
  DEFAULT_BINARY_TYPE,
  encodeBase64,
  isBinary,
  isBlob,
  toUint8Array,
} from "./binary";
import { ERROR_PACKET, PACKET_TYPE_BY_CODE, type BinaryType, type Packet, type RawData } from "./packet";
import { typeDigit, type EncodedPacket } from "./encode";

/** Engine.IO protocol revision of the `*V3` functions. */
export const protocolV3 = 3;

/**
 * Encodes one Engine.IO v3 packet. Text data gives `<type digit><data>`. Binary data gives,
 * with `supportsBinary` (a WebSocket, or an XHR2 payload), the packet type as one byte
 * followed by the data; without it, `b<type digit><base64>`.
 *
 * @throws TypeError for a Blob when `supportsBinary` is false (a Blob cannot be read
 * synchronously), and for a packet type that does not travel (`error`).
 * @example
 * encodePacketV3({ type: "message", data: "hi" }, true); // "4hi"
 * encodePacketV3({ type: "message", data: Buffer.from([1, 2]) }, false); // "b4AQI="
 */
export function encodePacketV3(packet: Packet, supportsBinary: boolean): EncodedPacket {
  const { data } = packet;
  const digit = typeDigit(packet);
  if (typeof data === "string") return digit + data;
  if (data === undefined) return digit;
  if (supportsBinary) return prependTypeByte(digit, data);
  if (isBlob(data)) {
    throw new TypeError("a Blob cannot be base64-encoded synchronously: send it over a binary transport");
  }
  return "b" + digit + encodeBase64(data);
}

/**
 * Decodes one Engine.IO v3 packet: a text frame (`<type digit>[data]` or
 * `b<type digit><base64>`) or a binary WebSocket frame (type byte, then data). Input that
 * is not a valid packet, including an unreadable Blob, decodes to the error packet; this
 * function never throws.
 */
export function decodePacketV3(encoded: RawData, binaryType: BinaryType = DEFAULT_BINARY_TYPE): Packet {
  if (typeof encoded === "string") return decodeTextPacketV3(encoded, binaryType);
  // A Blob would have to be read asynchronously to find its type byte.
  if (!isBinary(encoded) || isBlob(encoded)) return { ...ERROR_PACKET };
  return decodeBinaryPacketV3(toUint8Array(encoded), binaryType);
}

/** `<type digit>[data]` or `b<type digit><base64>`. */
export function decodeTextPacketV3(encoded: string, binaryType: BinaryType): Packet {
  const first = encoded.charCodeAt(0); // NaN for "", which finds no type
  if (first === 98 /* b */) {
    const type = PACKET_TYPE_BY_CODE[encoded.charCodeAt(1) - 48];
    if (type === undefined) return { ...ERROR_PACKET };
    const data = base64ToBinary(encoded, 2, binaryType);
    return data === undefined ? { ...ERROR_PACKET } : { type, data };
  }
  const type = PACKET_TYPE_BY_CODE[first - 48];
  if (type === undefined) return { ...ERROR_PACKET };
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}

/** The packet type as one byte, then the data. */
export function decodeBinaryPacketV3(bytes: Uint8Array, binaryType: BinaryType): Packet {
  const type = bytes.length > 0 ? PACKET_TYPE_BY_CODE[bytes[0]!] : undefined;
  if (type === undefined) return { ...ERROR_PACKET };
  return { type, data: convertBinary(bytes.subarray(1), binaryType) };
}

function prependTypeByte(digit: string, data: Exclude<Packet["data"], string | undefined>): EncodedPacket {
  const typeByte = digit.charCodeAt(0) - 48;
  // Blobs compose synchronously, so the browser never needs to read one here.
  if (isBlob(data)) return new Blob([Uint8Array.of(typeByte), data]);
  const body = toUint8Array(data);
  return concatBytes([Uint8Array.of(typeByte), body], 1 + body.byteLength);
}

