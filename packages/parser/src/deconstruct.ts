// The encoder's walk over a binary packet's payload: bounds the nesting depth (so a deep or
// circular payload becomes an EncodeError, never a stack overflow) and copies the payload
// with each binary value replaced by a numbered placeholder. find-binary.ts tells whether
// a payload holds binary values at all.
import { EncodeError, EncodeErrorCode, unserializableError, encodeError } from "./errors";
import { isBinary } from "./is-binary";
import type { BinaryData } from "./packet";

/** Thrown inside a walk when the depth limit is passed; turned into an EncodeError at the top. */
class DepthExceeded {}
export const depthExceeded = new DepthExceeded();

/**
 * A copy of `data` where each binary value is replaced by `{ _placeholder: true, num }`,
 * `num` being its index in `attachments` (filled in order of appearance).
 */
export function replaceBinary(data: unknown, attachments: BinaryData[], maxDepth: number): unknown {
  const ancestors: object[] = [];
  try {
    return copyWithPlaceholders(data, attachments, ancestors, maxDepth, true);
  } catch (error) {
    throw toEncodeError(error, ancestors, maxDepth);
  }
}

// `ancestors` holds the arrays and objects being copied, outermost first: its length is the
// depth of `value`'s container.
function copyWithPlaceholders(
  value: unknown,
  attachments: BinaryData[],
  ancestors: object[],
  maxDepth: number,
  mayCallToJSON: boolean,
): unknown {
  if (typeof value !== "object" || value === null) return value;
  const isArray = Array.isArray(value);
  // Binary values are leaves: they do not count as a level.
  if (!isArray && isBinary(value)) {
    attachments.push(value);
    return { _placeholder: true, num: attachments.length - 1 };
  }
  if (ancestors.length >= maxDepth) throw depthExceeded;
  if (mayCallToJSON && !isArray) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      return copyWithPlaceholders(toJSON.call(value), attachments, ancestors, maxDepth, false);
    }
  }
  ancestors.push(value);
  let copy: unknown[] | Record<string, unknown>;
  if (isArray) {
    copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = copyWithPlaceholders(value[i], attachments, ancestors, maxDepth, true);
  } else {
    const isPlain = Object.getPrototypeOf(value) === Object.prototype;
    copy = {};
    for (const key in value) {
      if (isPlain || Object.hasOwn(value, key)) {
        copy[key] = copyWithPlaceholders((value as Record<string, unknown>)[key], attachments, ancestors, maxDepth, true);
      }
    }
  }
  ancestors.pop();
  return copy;
}

/**
 * The EncodeError for what a walk threw. A walk stopped by the depth limit (or by a stack
 * overflow) leaves in `ancestors` the path it was on: the payload is circular when an
 * object stands twice on it, too deep otherwise.
 */
export function toEncodeError(error: unknown, ancestors: readonly object[], maxDepth: number): EncodeError {
  if (error === depthExceeded || error instanceof RangeError) {
    return new Set(ancestors).size < ancestors.length
      ? encodeError(EncodeErrorCode.CIRCULAR, () => "Converting circular structure to JSON (the payload refers to itself)")
      : encodeError(EncodeErrorCode.TOO_DEEP, () => `payload nests deeper than maxDepth (${maxDepth})`);
  }
  if (error instanceof EncodeError) return error;
  return unserializableError(error);
}
