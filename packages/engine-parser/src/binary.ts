// Binary helpers that work the same in browsers and Node.js. Node's Buffer is used when
// present because its base64 codec is native; elsewhere a table-driven codec runs.

import type { BinaryType } from "./packet";

type BufferLike = Uint8Array & { toString(encoding: "base64"): string };
interface BufferStatic {
  from(data: string, encoding: "base64"): BufferLike;
  from(data: ArrayBuffer, byteOffset?: number, length?: number): BufferLike;
  allocUnsafe(size: number): BufferLike;
  isBuffer(value: unknown): value is BufferLike;
}

const NodeBuffer: BufferStatic | undefined = (globalThis as { Buffer?: BufferStatic }).Buffer;
const hasBlob = typeof Blob === "function";

/** What decoders hand binary back as when the caller names no binary type. */
export const DEFAULT_BINARY_TYPE: BinaryType = NodeBuffer === undefined ? "arraybuffer" : "nodebuffer";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DECODE_TABLE = new Uint8Array(128).fill(255);
for (let i = 0; i < ALPHABET.length; i++) DECODE_TABLE[ALPHABET.charCodeAt(i)] = i;
DECODE_TABLE["-".charCodeAt(0)] = 62; // base64url, tolerated on input
DECODE_TABLE["_".charCodeAt(0)] = 63;

export function isBlob(value: unknown): value is Blob {
  return hasBlob && value instanceof Blob;
}

const objectToString = Object.prototype.toString;

/**
 * `instanceof ArrayBuffer` fails for a buffer made in another realm (an iframe, a vm
 * context, a jest sandbox), so the tag is checked too.
 */
export function isArrayBuffer(value: unknown): value is ArrayBuffer {
  return (
    value instanceof ArrayBuffer ||
    (typeof value === "object" && value !== null && objectToString.call(value) === "[object ArrayBuffer]")
  );
}

export function isBinary(value: unknown): value is ArrayBuffer | ArrayBufferView | Blob {
  return ArrayBuffer.isView(value) || isArrayBuffer(value) || isBlob(value);
}

/** A Uint8Array view over any ArrayBuffer or ArrayBufferView, without copying. */
export function toUint8Array(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

export function encodeBase64(data: ArrayBuffer | ArrayBufferView): string {
  if (NodeBuffer !== undefined) {
    if (NodeBuffer.isBuffer(data)) return data.toString("base64");
    const view = toUint8Array(data);
    return NodeBuffer.from(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength).toString("base64");
  }
  const bytes = toUint8Array(data);
  let out = "";
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + "==";
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + "=";
  }
  return out;
}

/**
 * Decodes base64 (standard or url alphabet, padding optional). Returns undefined for text
 * that is not base64, so that the caller can turn it into a parser error.
 */
export function decodeBase64(text: string, start = 0): Uint8Array | undefined {
  let end = text.length;
  while (end > start && text.charCodeAt(end - 1) === 61 /* = */) end--;
  const length = end - start;
  if (length % 4 === 1 || text.length - end > 2) return undefined;
  const bytes = new Uint8Array((length * 3) >> 2);
  let byteIndex = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    const value = code < 128 ? DECODE_TABLE[code]! : 255;
    if (value === 255) return undefined;
    buffer = (buffer << 6) | value;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[byteIndex++] = (buffer >> bits) & 0xff;
    }
  }
  return bytes;
}

/** Base64 text to the binary type the caller asked for. */
export function base64ToBinary(text: string, start: number, binaryType: BinaryType): BinaryResult | undefined {
  if (NodeBuffer !== undefined && binaryType === "nodebuffer") {
    // Node's decoder silently skips invalid characters, so validate the alphabet first.
    if (!isBase64(text, start)) return undefined;
    return NodeBuffer.from(start === 0 ? text : text.slice(start), "base64");
  }
  const bytes = decodeBase64(text, start);
  if (bytes === undefined) return undefined;
  return convertBinary(bytes, binaryType);
}

type BinaryResult = ArrayBuffer | ArrayBufferView | Blob;

function isBase64(text: string, start: number): boolean {
  let end = text.length;
  while (end > start && text.charCodeAt(end - 1) === 61) end--;
  if ((end - start) % 4 === 1 || text.length - end > 2) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if (code >= 128 || DECODE_TABLE[code] === 255) return false;
  }
  return true;
}

/** Converts received binary data to the requested binary type, copying only when needed. */
export function convertBinary(data: ArrayBuffer | ArrayBufferView | Blob, binaryType: BinaryType): BinaryResult {
  if (isBlob(data)) return data; // a Blob can only be read asynchronously; hand it over as is
  switch (binaryType) {
    case "blob":
      return hasBlob ? new Blob([data as BlobPart]) : toArrayBuffer(data);
    case "arraybuffer":
      return toArrayBuffer(data);
    case "nodebuffer": {
      if (NodeBuffer === undefined) return toArrayBuffer(data);
      if (NodeBuffer.isBuffer(data)) return data;
      const view = toUint8Array(data);
      return NodeBuffer.from(view.buffer as ArrayBuffer, view.byteOffset, view.byteLength);
    }
  }
}

export function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (!ArrayBuffer.isView(data)) return data;
  const { buffer, byteOffset, byteLength } = data;
  if (byteOffset === 0 && byteLength === buffer.byteLength && isArrayBuffer(buffer)) return buffer;
  return new Uint8Array(buffer, byteOffset, byteLength).slice().buffer as ArrayBuffer;
}

/** Joins byte arrays into one (a Buffer in Node.js, so that it goes out without a copy). */
export function concatBytes(parts: readonly Uint8Array[], totalLength: number): Uint8Array {
  const out = NodeBuffer === undefined ? new Uint8Array(totalLength) : NodeBuffer.allocUnsafe(totalLength);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
