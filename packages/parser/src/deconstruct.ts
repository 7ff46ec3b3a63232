// The encoder's walk over a payload: finds binary values, bounds the nesting depth (so a
// deep or circular payload becomes an EncodeError, never a stack overflow) and, for binary
// packets, copies the payload with each binary value replaced by a numbered placeholder.
import { EncodeError, EncodeErrorCode, unserializableError } from "./errors";
import { isBinary } from "./is-binary";
import type { BinaryData } from "./packet";

/** Thrown inside the walk when the depth limit is passed; turned into an EncodeError at the top. */
class DepthExceeded {}
const depthExceeded = new DepthExceeded();

/**
 * Whether `data` holds binary values. Throws an EncodeError when `data` nests deeper than
 * `maxDepth` or is circular.
 */
export function findBinary(data: unknown, maxDepth: number): boolean {
  if (typeof data !== "object" || data === null) return false;
  try {
    return scan(data, 1, maxDepth, true);
  } catch (error) {
    throw toEncodeError(error, data, maxDepth);
  }
}

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

// Called only with non-null objects: primitives are filtered by the caller, which saves a
// call per leaf (most of a payload's values are leaves).
function scan(value: object, depth: number, maxDepth: number, mayCallToJSON: boolean): boolean {
  let found = false;
  if (Array.isArray(value)) {
    if (depth > maxDepth) throw depthExceeded;
    // No early return: the depth of every branch must be checked before JSON.stringify runs.
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null && scan(child, depth + 1, maxDepth, true)) found = true;
    }
    return found;
  }
  const isPlain = Object.getPrototypeOf(value) === Object.prototype;
  // Binary values are never plain objects; skipping the test for those is the common case.
  // Binary values are leaves: they do not count as a level.
  if (!isPlain && isBinary(value)) return true;
  if (depth > maxDepth) throw depthExceeded;
  if (mayCallToJSON) {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") {
      const json: unknown = toJSON.call(value);
      return typeof json === "object" && json !== null && scan(json, depth, maxDepth, false);
    }
  }
  for (const key in value) {
    // For-in on a plain object sees own keys only (unless Object.prototype itself was given
    // enumerable keys, which changes nothing here but the time spent).
    if (!isPlain && !Object.hasOwn(value, key)) continue;
    const child = (value as Record<string, unknown>)[key];
    if (typeof child === "object" && child !== null && scan(child, depth + 1, maxDepth, true)) found = true;
  }
  return found;
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

function toEncodeError(error: unknown, data: unknown, maxDepth: number): EncodeError {
  if (error === depthExceeded || error instanceof RangeError) {
    return isCircular(data)
      ? new EncodeError(EncodeErrorCode.CIRCULAR, "Converting circular structure to JSON (the payload refers to itself)")
      : new EncodeError(EncodeErrorCode.TOO_DEEP, `payload nests deeper than maxDepth (${maxDepth})`);
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
