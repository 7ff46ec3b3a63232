// Engine.IO protocol v3 packets, spoken by Socket.IO 2 clients (engine-server `allowEIO3`).
// v3 differs from v4 in how binary travels: a binary WebSocket frame starts with the packet
// type as a byte, and base64 binary is `b<type digit><base64>` (v4 drops the type digit,
// since binary is always a message there).

import { decodeBase64, encodeBase64 } from "./base64";
import { concatBytes, convertBinary, DEFAULT_BINARY_TYPE, isBinary, isBlob, toUint8Array } from "./binary";
import { errorPacket } from "./decode";
import { SyncBlobError } from "./errors";
import type { EncodedPacket } from "./encode";
import { type BinaryData, type BinaryType, type Packet, type RawData } from "./packet";
import { packetTypeOfCode, typeDigit } from "./type-codes";

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
  const data = packet.data;
  const digit = typeDigit(packet.type);
  if (typeof data === "string") return digit + data;
  if (data === undefined) return digit;
  // Untyped callers may pass a number or an object: written as text, as upstream does.
  if (!isBinary(data)) return digit + String((data as unknown) || "");
  if (supportsBinary) return prependTypeByte(digit, data);
  if (isBlob(data)) {
    throw new SyncBlobError("a Blob cannot be base64-encoded synchronously: send it over a binary transport");
  }
  return "b" + digit + encodeBase64(toUint8Array(data));
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
  if (!isBinary(encoded) || isBlob(encoded)) return errorPacket();
  return decodeBinaryPacketV3(toUint8Array(encoded), binaryType);
}

/** `<type digit>[data]` or `b<type digit><base64>`. */
export function decodeTextPacketV3(encoded: string, binaryType: BinaryType): Packet {
  const first = encoded.charCodeAt(0); // NaN for "", which finds no type
  if (first === 98 /* b */) {
    const type = packetTypeOfCode(encoded.charCodeAt(1));
    if (type === undefined) return errorPacket();
    const bytes = decodeBase64(encoded, 2);
    return bytes === undefined ? errorPacket() : { type, data: convertBinary(bytes, binaryType) };
  }
  const type = packetTypeOfCode(first);
  if (type === undefined) return errorPacket();
  return encoded.length > 1 ? { type, data: encoded.slice(1) } : { type };
}

/** The packet type as one byte, then the data. */
export function decodeBinaryPacketV3(bytes: Uint8Array, binaryType: BinaryType): Packet {
  const type = bytes.length > 0 ? packetTypeOfCode(bytes[0]! + 48) : undefined;
  if (type === undefined) return errorPacket();
  return { type, data: convertBinary(bytes.subarray(1), binaryType) };
}

function prependTypeByte(digit: string, data: BinaryData): EncodedPacket {
  const typeByte = digit.charCodeAt(0) - 48;
  // Blobs compose synchronously, so the browser never needs to read one here.
  if (isBlob(data)) return new Blob([Uint8Array.of(typeByte), data]);
  const body = toUint8Array(data);
  return concatBytes([Uint8Array.of(typeByte), body], 1 + body.byteLength);
}

