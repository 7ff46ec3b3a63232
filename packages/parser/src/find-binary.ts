// Whether a payload holds binary values: the encoder's first walk over every payload, which
// also bounds its nesting depth (a deep or circular payload becomes an EncodeError). The
// browser build uses find-binary.browser.ts instead, which runs the walk of replaceBinary.
import { depthExceeded, toEncodeError } from "./deconstruct";
import { isBinary } from "./is-binary";

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
