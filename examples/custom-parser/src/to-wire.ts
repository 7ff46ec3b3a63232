// Prepares a payload for MessagePack with the meaning JSON gives it, so that applications
// see the same values whichever parser the server uses: toJSON() is honoured (a Date
// travels as its ISO string), undefined and functions are left out of objects and become
// null in arrays, NaN and Infinity become null. Binary values stay binary: MessagePack
// carries them natively, so they need no attachments.
import { EncodeError, EncodeErrorCode } from "@volley/parser";

export function toWireValue(value: unknown, maxDepth: number, depth = 1, mayCallToJSON = true): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) ? value : null;
    case "bigint":
      throw new EncodeError(EncodeErrorCode.UNSERIALIZABLE, "a BigInt cannot be encoded");
    case "object":
      break;
    default:
      return undefined; // undefined, function, symbol
  }
  if (value === null) return null;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  if (typeof Blob === "function" && value instanceof Blob) {
    throw new EncodeError(EncodeErrorCode.UNSERIALIZABLE, "a Blob cannot be read synchronously; send an ArrayBuffer");
  }
  if (depth > maxDepth) {
    throw new EncodeError(EncodeErrorCode.TOO_DEEP, `payload nests deeper than maxDepth (${maxDepth}) or is circular`);
  }
  if (Array.isArray(value)) {
    return value.map((item) => toWireValue(item, maxDepth, depth + 1) ?? null);
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (mayCallToJSON && typeof toJSON === "function") {
    // Like JSON.stringify: toJSON is called once, not again on what it returns.
    return toWireValue(toJSON.call(value), maxDepth, depth, false);
  }
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = toWireValue((value as Record<string, unknown>)[key], maxDepth, depth + 1);
    if (item !== undefined) result[key] = item;
  }
  return result;
}
