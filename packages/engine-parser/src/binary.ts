// Binary data as it comes from applications and transports (ArrayBuffer, typed arrays,
// DataView, Node.js Buffer, Blob), recognised and converted the same way in browsers and
// Node.js.

import { NodeBuffer } from "./node-buffer";
import type { BinaryData, BinaryType } from "./packet";

const hasBlob = typeof Blob === "function";
const objectToString = Object.prototype.toString;

/** What decoders hand binary back as when the caller names no binary type. */
export const DEFAULT_BINARY_TYPE: BinaryType = NodeBuffer === undefined ? "arraybuffer" : "nodebuffer";

export function isBlob(value: unknown): value is Blob {
  return hasBlob && value instanceof Blob;
}

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

export function isBinary(value: unknown): value is BinaryData {
  return ArrayBuffer.isView(value) || isArrayBuffer(value) || isBlob(value);
}

/** A Uint8Array view over any ArrayBuffer or ArrayBufferView, without copying. */
export function toUint8Array(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}

/**
 * Converts received binary data to the requested binary type, copying only when needed: a
 * Buffer or a view over a whole ArrayBuffer is handed back as is or re-wrapped. A Blob is
 * handed back as is whatever the binary type, since it can only be read asynchronously.
 * Where Blob or Buffer do not exist, "blob" and "nodebuffer" give an ArrayBuffer.
 */
export function convertBinary(data: BinaryData, binaryType: BinaryType): BinaryData {
  if (binaryType === "nodebuffer" && NodeBuffer !== undefined) {
    if (NodeBuffer.isBuffer(data) || isBlob(data)) return data;
    const view = toUint8Array(data);
    return NodeBuffer.from(view.buffer, view.byteOffset, view.byteLength);
  }
  if (isBlob(data)) return data;
  if (binaryType === "blob" && hasBlob) return new Blob([toUint8Array(data) as Uint8Array<ArrayBuffer>]);
  return toArrayBuffer(data);
}

/** The bytes of `data` as an ArrayBuffer of their own (a copy unless they fill one already). */
export function toArrayBuffer(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (!ArrayBuffer.isView(data)) return data;
  const { buffer, byteOffset, byteLength } = data;
  if (byteOffset === 0 && byteLength === buffer.byteLength && isArrayBuffer(buffer)) return buffer;
  return new Uint8Array(buffer, byteOffset, byteLength).slice().buffer;
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
