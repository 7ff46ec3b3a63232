// Recognising binary values. This is the one home of `hasBinary` in Volley: the server,
// the client and the adapters import it from here.
import type { BinaryData } from "./packet";

const hasBlob = typeof Blob === "function";

/** Whether `value` travels as a binary attachment: ArrayBuffer, typed array, DataView, Buffer, Blob, File. */
export function isBinary(value: unknown): value is BinaryData {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value) || (hasBlob && value instanceof Blob);
}

/** How deep {@link hasBinary} looks by default. */
export const DEFAULT_HAS_BINARY_DEPTH = 1000;

/**
 * Whether `value` holds a binary value anywhere (in arrays, in objects, or in what an
 * object's `toJSON()` returns). Levels deeper than `maxDepth` are not inspected, which also
 * makes the search end on circular structures.
 *
 * @example
 * hasBinary(["upload", { file: Buffer.from("hi") }]); // true
 */
export function hasBinary(value: unknown, maxDepth: number = DEFAULT_HAS_BINARY_DEPTH): boolean {
  return search(value, maxDepth, true);
}

function search(value: unknown, depthLeft: number, mayCallToJSON: boolean): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (depthLeft <= 0) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (search(value[i], depthLeft - 1, true)) return true;
    }
    return false;
  }
  const isPlain = Object.getPrototypeOf(value) === Object.prototype;
  if (!isPlain && isBinary(value)) return true;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (mayCallToJSON && typeof toJSON === "function") {
    // What JSON.stringify would write is what counts; like it, call toJSON only once.
    return search(toJSON.call(value), depthLeft, false);
  }
  for (const key in value) {
    if ((isPlain || Object.hasOwn(value, key)) && search((value as Record<string, unknown>)[key], depthLeft - 1, true)) {
      return true;
    }
  }
  return false;
}
