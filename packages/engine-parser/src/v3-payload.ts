// Engine.IO protocol v3 long-polling payloads. Two formats:
//   text:   `<length>:<packet>` repeated, the length counted in characters (UTF-16 code
//           units, as JavaScript counts them); binary packets as `b<type digit><base64>`.
//   binary: (XHR2 clients) per packet a byte 0 (text) or 1 (binary), the decimal digits of
//           the packet's byte length each as one byte (0-9), a 0xFF byte, then the packet:
//           text as UTF-8, binary as the type byte followed by the data.

import { concatBytes, DEFAULT_BINARY_TYPE, isBinary, isBlob, toUint8Array } from "./binary";
import { type BinaryData, type BinaryType, type Packet } from "./packet";
import { errorPacket } from "./decode";
import { SyncBlobError } from "./errors";
import { decodeBinaryPacketV3, decodeTextPacketV3, encodePacketV3 } from "./v3-packet";

/** What an empty text payload is written as (a single empty packet). */
const EMPTY_TEXT_PAYLOAD = "0:";
/** Length prefixes longer than this are not lengths any peer would send. */
const MAX_LENGTH_DIGITS = 15;
const STRING_MARKER = 0;
const BINARY_MARKER = 1;
const LENGTH_END = 0xff;

// Marked pure so that bundles of v4-only clients can drop them with the rest of this file.
const utf8Encoder = /* @__PURE__ */ new TextEncoder();
// fatal: invalid UTF-8 is a parser error; ignoreBOM: a leading U+FEFF is data, kept as is.
const utf8Decoder = /* @__PURE__ */ new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/**
 * Encodes packets into one Engine.IO v3 long-polling payload.
 *
 * Returns a string (`<length>:<packet>…`, binary as base64) when `supportsBinary` is false
 * or no packet carries binary data, and otherwise the XHR2 binary payload as a Uint8Array
 * (a Buffer in Node.js). No packets give `"0:"`.
 *
 * @throws TypeError for a packet carrying a Blob (it cannot be read synchronously) and for
 * a packet type that does not travel (`error`).
 * @example
 * encodePayloadV3([{ type: "message", data: "hi" }, { type: "ping" }], false); // "3:4hi1:2"
 */
export function encodePayloadV3(packets: readonly Packet[], supportsBinary: boolean): string | Uint8Array {
  if (supportsBinary && packets.some(hasBinaryData)) return encodeBinaryPayloadV3(packets);
  if (packets.length === 0) return EMPTY_TEXT_PAYLOAD;
  let payload = "";
  for (const packet of packets) {
    const encoded = encodePacketV3(packet, false) as string;
    payload += encoded.length + ":" + encoded;
  }
  return payload;
}

/**
 * Decodes an Engine.IO v3 long-polling payload: a string in the text format, or binary
 * data (ArrayBuffer, typed array, Buffer) in the XHR2 binary format. Decoding stops at the
 * first malformed length or packet, and the error packet
 * `{ type: "error", data: "parser error" }` is returned last; an empty string and a Blob
 * (unreadable synchronously) give just the error packet. Never throws.
 *
 * Binary data handed back as a `nodebuffer` may share memory with the input.
 */
export function decodePayloadV3(
  data: string | BinaryData,
  binaryType: BinaryType = DEFAULT_BINARY_TYPE,
): Packet[] {
  if (typeof data === "string") return decodeTextPayload(data, binaryType);
  if (!isBinary(data) || isBlob(data)) return [errorPacket()];
  return decodeBinaryPayload(toUint8Array(data), binaryType);
}

function hasBinaryData(packet: Packet): boolean {
  return packet.data !== undefined && typeof packet.data !== "string";
}

function encodeBinaryPayloadV3(packets: readonly Packet[]): Uint8Array {
  const parts: Uint8Array[] = [];
  let totalLength = 0;
  for (const packet of packets) {
    let marker: number;
    let body: Uint8Array;
    if (hasBinaryData(packet)) {
      if (isBlob(packet.data)) {
        throw new SyncBlobError("a Blob cannot be put in a binary payload synchronously");
      }
      marker = BINARY_MARKER;
      body = encodePacketV3(packet, true) as Uint8Array;
    } else {
      marker = STRING_MARKER;
      body = utf8Encoder.encode(encodePacketV3(packet, true) as string);
    }
    const digits = String(body.byteLength);
    const header = new Uint8Array(digits.length + 2);
    header[0] = marker;
    for (let i = 0; i < digits.length; i++) header[i + 1] = digits.charCodeAt(i) - 48;
    header[digits.length + 1] = LENGTH_END;
    parts.push(header, body);
    totalLength += header.byteLength + body.byteLength;
  }
  return concatBytes(parts, totalLength);
}

function decodeTextPayload(payload: string, binaryType: BinaryType): Packet[] {
  if (payload.length === 0) return [errorPacket()];
  const packets: Packet[] = [];
  let cursor = 0;
  while (cursor < payload.length) {
    const colon = payload.indexOf(":", cursor);
    if (colon === -1) return fail(packets);
    const length = parseDecimal(payload, cursor, colon);
    const end = colon + 1 + length;
    if (length < 0 || end > payload.length) return fail(packets);
    // "0:" stands for no packet at all (an empty payload).
    if (length > 0) {
      const packet = decodeTextPacketV3(payload.slice(colon + 1, end), binaryType);
      packets.push(packet);
      if (packet.type === "error") return packets;
    }
    cursor = end;
  }
  return packets;
}

/** Digits of `text` between `start` and `end` as a number; -1 if empty or not all digits. */
function parseDecimal(text: string, start: number, end: number): number {
  if (end === start || end - start > MAX_LENGTH_DIGITS) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function decodeBinaryPayload(bytes: Uint8Array, binaryType: BinaryType): Packet[] {
  const packets: Packet[] = [];
  let cursor = 0;
  while (cursor < bytes.length) {
    const marker = bytes[cursor++];
    if (marker !== STRING_MARKER && marker !== BINARY_MARKER) return fail(packets);
    let length = 0;
    let digitCount = 0;
    for (;;) {
      if (cursor >= bytes.length) return fail(packets);
      const byte = bytes[cursor++]!;
      if (byte === LENGTH_END) break;
      if (byte > 9 || ++digitCount > MAX_LENGTH_DIGITS) return fail(packets);
      length = length * 10 + byte;
    }
    const end = cursor + length;
    if (digitCount === 0 || end > bytes.length) return fail(packets);
    const body = bytes.subarray(cursor, end);
    const packet =
      marker === BINARY_MARKER ? decodeBinaryPacketV3(body, binaryType) : decodeUtf8Packet(body, binaryType);
    packets.push(packet);
    if (packet.type === "error") return packets;
    cursor = end;
  }
  return packets;
}

function decodeUtf8Packet(body: Uint8Array, binaryType: BinaryType): Packet {
  let text: string;
  try {
    text = utf8Decoder.decode(body);
  } catch {
    return errorPacket();
  }
  return decodeTextPacketV3(text, binaryType);
}

function fail(packets: Packet[]): Packet[] {
  packets.push(errorPacket());
  return packets;
}
