import type { RawData } from "@volley/engine-parser";

/**
 * What a message of any value becomes, by `engine.io`'s rule: strings and binary data
 * (ArrayBuffer, typed arrays, Buffers, Blobs) are sent as they are, a falsy value (`0`,
 * `false`, `null`, `undefined`, `NaN`) as an empty message, anything else as its string
 * form. Callers handle strings before calling: this is off the hot path.
 */
export function toMessageData(value: unknown): RawData | undefined {
  if (typeof value === "string") return value;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value) || value instanceof Blob) return value;
  if (!value) return undefined;
  return String(value);
}
