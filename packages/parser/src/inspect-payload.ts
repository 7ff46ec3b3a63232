// The decoder's walk over a parsed JSON payload: bounds the nesting depth, refuses keys
// that lead to prototype pollution once an application merges the payload into its own
// objects, and, in binary packets, checks each placeholder and remembers where it sits.
import { DecodeErrorCode, decodeError } from "./errors";

/** Where a placeholder sits, so the attachment can be put there once it arrives. */
export interface PlaceholderSlot {
  container: Record<string, unknown> | unknown[];
  key: string | number;
  num: number;
}

/**
 * Inspects `data` (from JSON.parse). `slots` is given for binary packets only: their
 * placeholders (`{ "_placeholder": true, "num": n }` with `0 <= n < attachments`) are
 * recorded there. In other packets such objects are ordinary data.
 * @throws {DecodeError} TOO_DEEP, FORBIDDEN_KEY or INVALID_PLACEHOLDER
 */
export function inspectPayload(
  data: unknown,
  maxDepth: number,
  slots: PlaceholderSlot[] | undefined,
  attachments: number,
): void {
  if (typeof data !== "object" || data === null) return;
  visit(data as Record<string, unknown>, 1, maxDepth, slots, attachments);
}

function visit(
  value: Record<string, unknown> | unknown[],
  depth: number,
  maxDepth: number,
  slots: PlaceholderSlot[] | undefined,
  attachments: number,
): void {
  if (depth > maxDepth) {
    throw decodeError(DecodeErrorCode.TOO_DEEP, () => `invalid payload: it nests deeper than maxDepth (${maxDepth})`);
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const child: unknown = value[i];
      if (typeof child === "object" && child !== null) {
        if (slots !== undefined && isPlaceholder(child)) slots.push(slotOf(value, i, child, attachments));
        else visit(child as Record<string, unknown>, depth + 1, maxDepth, slots, attachments);
      }
    }
    return;
  }
  // JSON.parse output has no inherited enumerable keys, so for-in sees own keys only (what
  // a reviver returns may have some: they are inspected too, which is only stricter).
  for (const key in value) {
    if (key === "__proto__" || key === "constructor") {
      throw decodeError(DecodeErrorCode.FORBIDDEN_KEY, () => `invalid payload: it holds a forbidden key "${key}"`);
    }
    const child = value[key];
    if (typeof child === "object" && child !== null) {
      if (slots !== undefined && isPlaceholder(child)) slots.push(slotOf(value, key, child, attachments));
      else visit(child as Record<string, unknown>, depth + 1, maxDepth, slots, attachments);
    }
  }
}

function isPlaceholder(value: object): value is { _placeholder: true; num: unknown } {
  return (value as { _placeholder?: unknown })._placeholder === true;
}

function slotOf(
  container: Record<string, unknown> | unknown[],
  key: string | number,
  placeholder: { num: unknown },
  attachments: number,
): PlaceholderSlot {
  const { num } = placeholder;
  if (typeof num !== "number" || !Number.isInteger(num) || num < 0 || num >= attachments) {
    throw decodeError(DecodeErrorCode.INVALID_PLACEHOLDER, () => `illegal attachments: placeholder num must be an integer from 0 to ${attachments - 1}, got ${JSON.stringify(num) ?? "nothing"}`);
  }
  return { container, key, num };
}
