// The encoder's walk over a binary packet's payload: bounds the nesting depth (so a deep or
// circular payload becomes an EncodeError, never a stack overflow) and copies the payload
// with each binary value replaced by a numbered placeholder. find-binary.ts tells whether
// a payload holds binary values at all.
import { EncodeError, EncodeErrorCode, unserializableError, encodeError } from "./errors";
import { isBinary } from "./is-binary";
import type { BinaryData } from "./packet";

/** Thrown inside the walk when the depth limit is passed; turned into an EncodeError at the top. */
class DepthExceeded {}
export const depthExceeded = new DepthExceeded();

/**
 * A copy of `data` where each binary value is replaced by `{ _placeholder: true, num }`,
 * `num` being its index in `attachments` (filled in order of appearance).
 */
export function replaceBinary(data: unknown, attachments: BinaryData[], maxDepth: number): unknown {
  try {
    return copyWithPlaceholders(data, attachments, 1, maxDepth, true);
  } catch (error) {
    throw toEncodeError(error, data, maxDepth);
  }
}

function copyWithPlaceholders(
  value: unknown,
  attachments: BinaryData[],
  depth: number,
  maxDepth: number,
  mayCallToJSON: boolean,
): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    if (depth > maxDepth) throw depthExceeded;
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      copy[i] = copyWithPlaceholders(value[i], attachments, depth + 1, maxDepth, true);
    }
    return copy;
  }
  if (isBinary(value)) {
    attachments.push(value);
    return { _placeholder: true, num: attachments.length - 1 };
  }
  if (depth > maxDepth) throw depthExceeded;
  if (mayCallToJSON) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      return copyWithPlaceholders(toJSON.call(value), attachments, depth, maxDepth, false);
    }
  }
  const isPlain = Object.getPrototypeOf(value) === Object.prototype;
  const copy: Record<string, unknown> = {};
  for (const key in value) {
    if (isPlain || Object.hasOwn(value, key)) {
      copy[key] = copyWithPlaceholders((value as Record<string, unknown>)[key], attachments, depth + 1, maxDepth, true);
    }
  }
  return copy;
}

export function toEncodeError(error: unknown, data: unknown, maxDepth: number): EncodeError {
  if (error === depthExceeded || error instanceof RangeError) {
    return isCircular(data)
      ? encodeError(EncodeErrorCode.CIRCULAR, () => "Converting circular structure to JSON (the payload refers to itself)")
      : encodeError(EncodeErrorCode.TOO_DEEP, () => `payload nests deeper than maxDepth (${maxDepth})`);
  }
  if (error instanceof EncodeError) return error;
  return unserializableError(error);
}

// Only runs on the error path. Bounded by a visit budget so that a huge shared (acyclic)
// graph cannot make the diagnosis itself expensive; when the budget runs out the payload
// is reported as too deep, which it also is.
const CYCLE_SEARCH_BUDGET = 100_000;

function isCircular(root: unknown): boolean {
  const ancestors = new Set<object>();
  let budget = CYCLE_SEARCH_BUDGET;
  const visit = (value: unknown): boolean => {
    if (typeof value !== "object" || value === null || isBinary(value)) return false;
    if (ancestors.has(value)) return true;
    if (--budget < 0 || ancestors.size > 2_000) return false;
    ancestors.add(value);
    let found = false;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) {
      if (visit(child)) {
        found = true;
        break;
      }
    }
    ancestors.delete(value);
    return found;
  };
  try {
    return visit(root);
  } catch {
    return false;
  }
}
