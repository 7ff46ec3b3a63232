// Base64 for binary data on text-only transports (`b` + base64). Node's Buffer codec is
// native and used when present; elsewhere a table-driven codec runs. Decoding is strict:
// text that is not base64 is refused, so the decoder can return the error packet.

import { NodeBuffer, type NodeBufferInstance } from "./node-buffer";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const INVALID = 255;
const EQUALS = 61;
const WIDE_CHARACTER = /[^\x00-\xff]/;
const DECODE_TABLE = new Uint8Array(128).fill(INVALID);
for (let i = 0; i < ALPHABET.length; i++) DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
// The url-safe alphabet is tolerated on input, as Node's decoder (and so upstream) does.
DECODE_TABLE["-".charCodeAt(0)] = 62;
DECODE_TABLE["_".charCodeAt(0)] = 63;

/** Standard base64 with padding, as every Engine.IO peer writes it. */
export function encodeBase64(bytes: Uint8Array): string {
  if (NodeBuffer !== undefined) {
    const buffer = NodeBuffer.isBuffer(bytes)
      ? (bytes as NodeBufferInstance)
      : NodeBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer.toString("base64");
  }
  return encodeBase64Portable(bytes);
}

/** The codec used where Node's Buffer is absent (exported for tests). */
export function encodeBase64Portable(bytes: Uint8Array): string {
  // Chunks of 3-byte groups become 4-char strings joined once, which keeps the string
  // building linear without huge argument lists.
  const parts: string[] = [];
  const length = bytes.length;
  let i = 0;
  for (; i + 2 < length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    parts.push(ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!);
  }
  const rest = length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    parts.push(ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + "==");
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    parts.push(ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + "=");
  }
  return parts.join("");
}

/**
 * Decodes the base64 in `text` from `start` on. Padding is optional; at most two `=` may
 * end the text. Returns undefined for text that is not base64.
 */
export function decodeBase64(text: string, start: number): Uint8Array | undefined {
  let end = text.length;
  if (end > start && text.charCodeAt(end - 1) === EQUALS) {
    end--;
    if (end > start && text.charCodeAt(end - 1) === EQUALS) end--;
  }
  const length = end - start;
  if ((length & 3) === 1) return undefined; // 6 bits cannot make a byte
  if (NodeBuffer === undefined) return decodeBase64Portable(text, start, end);
  // Node reads a character above U+00FF as its low byte ("Ł" U+0141 as "A"), so those are
  // refused first. The test costs nothing on one-byte strings, which V8 knows cannot match.
  if (WIDE_CHARACTER.test(text)) return undefined;
  const expectedLength = Math.floor((length * 3) / 4);
  const bytes = NodeBuffer.from(text.substring(start, end), "base64");
  // Node skips other characters outside the alphabet (and stops at a stray "="), so each
  // leaves the output shorter than the text length promises: with a length that is not
  // 1 mod 4, one character less is always at least one byte less.
  return bytes.length === expectedLength ? bytes : undefined;
}

/** The decoder used where Node's Buffer is absent (exported for tests). */
export function decodeBase64Portable(text: string, start: number, end: number): Uint8Array | undefined {
  if (((end - start) & 3) === 1) return undefined;
  const bytes = new Uint8Array(Math.floor(((end - start) * 3) / 4));
  let byteIndex = 0;
  let i = start;
  // Whole 4-char groups first (the hot loop), then the 2- or 3-char tail.
  for (const groupsEnd = end - ((end - start) & 3); i < groupsEnd; i += 4) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = sextet(text, i + 2);
    const d = sextet(text, i + 3);
    if ((a | b | c | d) > 63) return undefined; // INVALID sets bits no sextet has
    const n = (a << 18) | (b << 12) | (c << 6) | d;
    bytes[byteIndex++] = n >> 16;
    bytes[byteIndex++] = (n >> 8) & 0xff;
    bytes[byteIndex++] = n & 0xff;
  }
  const rest = end - i;
  if (rest >= 2) {
    const a = sextet(text, i);
    const b = sextet(text, i + 1);
    const c = rest === 3 ? sextet(text, i + 2) : 0;
    if ((a | b | c) > 63) return undefined;
    bytes[byteIndex++] = (a << 2) | (b >> 4);
    if (rest === 3) bytes[byteIndex++] = ((b & 15) << 4) | (c >> 2);
  }
  return bytes;
}

function sextet(text: string, index: number): number {
  const code = text.charCodeAt(index);
  return code < 128 ? DECODE_TABLE[code]! : INVALID;
}
