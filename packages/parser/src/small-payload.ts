// Writing and reading the commonest payloads without JSON.stringify / JSON.parse: short
// arrays and plain objects nested a few levels, holding numbers, booleans, null, strings
// that need no escaping and (binary packets) binary values, written as placeholders.
//
// Why: on such a payload the native calls cost mostly their fixed overhead (measured on
// Node 20: ~165 ns to stringify and ~180 ns to parse `["message","hello world",42]`; the
// loops here take ~100 ns each way), more than the work itself. Both functions here
// recognise only a subset whose JSON meaning is certain and return undefined for anything
// else; the caller then takes the general path from the start. They never decide whether
// input is valid: anything doubtful goes to the general path, which reports it as it
// always did.
//
// The subset, both ways: at most MAX_TEXT_LENGTH characters of JSON, containers at most
// MAX_DEPTH levels deep (the payload is level 1, binary values and placeholders are leaves
// and no level) and never deeper than the caller's maxDepth, at most MAX_ITEMS items or
// keys per container, keys and strings without anything to escape, no whitespace.
import { isBinary } from "./is-binary";
import type { PlaceholderSlot } from "./inspect-payload";
import type { EncodedChunk } from "./packet";

/** Whether this build has the fast paths (the browser build has not: small-payload.browser.ts). */
export const HAS_FAST_PATHS = true;
/** Longest JSON text the fast paths write or read. */
export const MAX_SMALL_TEXT_LENGTH = 512;
const MAX_DEPTH = 4;
const MAX_ITEMS = 32;

// ---------------------------------------------------------------------------------------
// Writing

/**
 * The JSON of `data` (an array), with each binary value replaced by a placeholder and
 * appended to `chunks` (whose first item is kept for the text packet, so placeholder n is
 * `chunks[n + 1]`), exactly as the general path writes it (placeholders numbered
 * depth-first in key order, as replaceBinary does); or undefined when `data` is outside
 * the subset (a class instance, a `toJSON`, a value JSON.stringify would omit, a string to
 * escape, …). `chunks` may have been appended to when it returns undefined.
 */
export function writeSmallPayload(data: unknown[], chunks: EncodedChunk[], maxDepth: number): string | undefined {
  const text = writeArray(data, "", chunks, maxDepth < MAX_DEPTH ? maxDepth : MAX_DEPTH);
  return text !== undefined && text.length <= MAX_SMALL_TEXT_LENGTH ? text : undefined;
}

// Each writer appends to `text` and returns the result, or undefined to decline.
// `levels` counts the container levels still allowed, this one included.
function writeArray(array: unknown[], text: string, chunks: EncodedChunk[], levels: number): string | undefined {
  const length = array.length;
  // JSON.stringify would call an array's toJSON (its own or a polluted Array.prototype's).
  if (levels < 1 || length > MAX_ITEMS || (array as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  let out: string | undefined = text + "[";
  for (let i = 0; i < length; i++) {
    if (i > 0) out += ",";
    out = writeValue(array[i], out, chunks, levels);
    if (out === undefined) return undefined;
  }
  return out + "]";
}

function writeObject(
  object: Record<string, unknown>,
  text: string,
  chunks: EncodedChunk[],
  levels: number,
): string | undefined {
  if (levels < 1 || (object as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  let out: string | undefined = text + "{";
  let count = 0;
  // The keys JSON.stringify writes, in its order (EnumerableOwnProperties): for-in visits
  // them in that order, without the array Object.keys() would allocate, then any
  // enumerable key inherited from a polluted prototype, which is left to the general path.
  for (const key in object) {
    // An own "__proto__" key is left to the general path too, whose copy for binary
    // packets cannot hold it as a plain key.
    if (count === MAX_ITEMS || !Object.hasOwn(object, key) || key === "__proto__") return undefined;
    const prefix = keyPrefix(key, count++ > 0);
    if (prefix === undefined) return undefined;
    out += prefix;
    out = writeValue(object[key], out, chunks, levels);
    if (out === undefined) return undefined;
  }
  return out + "}";
}

// The `"key":` (and `,"key":`) written for keys seen lately, by a hash of their length and
// end characters: payloads of one application repeat the same few keys, and writing them
// is then one concatenation instead of three. A hit is the same key (=== compares the
// characters), so the cache can only return the prefix of the key given. Shared by every
// encoder; at most PREFIX_CACHE_SIZE short keys.
const PREFIX_CACHE_SIZE = 64;
const MAX_PREFIXED_KEY_LENGTH = 32;
const prefixKeys: string[] = new Array<string>(PREFIX_CACHE_SIZE).fill("");
const prefixes: string[] = new Array<string>(PREFIX_CACHE_SIZE).fill("");
const commaPrefixes: string[] = new Array<string>(PREFIX_CACHE_SIZE).fill("");

/** `"key":` (after a comma when `comma`), or undefined when the key needs escaping. */
function keyPrefix(key: string, comma: boolean): string | undefined {
  const length = key.length;
  if (length === 0 || length > MAX_PREFIXED_KEY_LENGTH) {
    return isPlainString(key) ? (comma ? ',"' : '"') + key + '":' : undefined;
  }
  const slot = (length * 7 + key.charCodeAt(0) * 3 + key.charCodeAt(length - 1)) & (PREFIX_CACHE_SIZE - 1);
  if (prefixKeys[slot] !== key) {
    if (!isPlainString(key)) return undefined;
    prefixKeys[slot] = key;
    prefixes[slot] = '"' + key + '":';
    commaPrefixes[slot] = ',"' + key + '":';
  }
  return (comma ? commaPrefixes[slot] : prefixes[slot]) as string;
}

// `levels` is that of the container holding `value`.
function writeValue(value: unknown, text: string, chunks: EncodedChunk[], levels: number): string | undefined {
  if (text.length > MAX_SMALL_TEXT_LENGTH) return undefined;
  switch (typeof value) {
    case "string":
      return isPlainString(value) ? text + '"' + value + '"' : undefined;
    case "number":
      // What JSON.stringify writes for a number: ToString when finite (-0 gives "0"),
      // null otherwise.
      return text + (Number.isFinite(value) ? "" + value : "null");
    case "boolean":
      return text + (value ? "true" : "false");
    case "object": {
      if (value === null) return text + "null";
      if (Array.isArray(value)) return writeArray(value, text, chunks, levels - 1);
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype === Object.prototype || prototype === null) {
        return writeObject(value as Record<string, unknown>, text, chunks, levels - 1);
      }
      // Binary values are leaves, taken before any toJSON, as in the general walk.
      if (isBinary(value)) return text + '{"_placeholder":true,"num":' + (chunks.push(value) - 2) + "}";
      // Boxed primitives, Dates, Maps, class instances…: JSON.stringify's own rules.
      return undefined;
    }
    default:
      // undefined, functions, symbols (which JSON.stringify omits or writes as null) and
      // BigInt (which it refuses): left to the general path.
      return undefined;
  }
}

// A string JSON.stringify writes as itself between quotes: no quote, backslash or control
// character, and no surrogate (a lone one would be escaped; paired ones are left to the
// general path rather than told apart here). Too long a string is turned away unread.
function isPlainString(value: string): boolean {
  const length = value.length;
  if (length > MAX_SMALL_TEXT_LENGTH) return false;
  for (let i = 0; i < length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------
// Reading

const PLACEHOLDER_PREFIX = '{"_placeholder":true,"num":';

/** What one read works on. A fresh one per call: nothing is shared between calls. */
interface Cursor {
  readonly text: string;
  at: number;
  readonly slots: PlaceholderSlot[] | undefined;
  readonly attachments: number;
}

/** Returned by the readers below to decline; never a JSON value. */
const DECLINE: unique symbol = Symbol("decline");

/**
 * The array that `text.slice(start)` holds, when it is in the subset and nothing follows
 * it; undefined otherwise. Values are built as JSON.parse builds them (plain objects with
 * Object.prototype, keys in the same order). An object with a key it already has, or a
 * key found on Object.prototype (`__proto__`, `constructor`, `toString`…), is declined, so
 * the general path decides on it (FORBIDDEN_KEY for the first two). With `slots` (binary
 * packets), an item written exactly as `{"_placeholder":true,"num":n}` with
 * `0 <= n < attachments` is recorded as a slot (its value left undefined until the
 * attachment arrives), as inspectPayload does; any other object with a `_placeholder` key
 * is declined. `slots` may have been appended to when it returns undefined: the caller
 * clears it.
 */
export function readSmallPayload(
  text: string,
  start: number,
  slots: PlaceholderSlot[] | undefined,
  attachments: number,
  maxDepth: number,
): unknown[] | undefined {
  if (text.charCodeAt(start) !== 0x5b /* [ */) return undefined;
  const cursor: Cursor = { text, at: start + 1, slots, attachments };
  const data = readArray(cursor, maxDepth < MAX_DEPTH ? maxDepth : MAX_DEPTH);
  return data !== DECLINE && cursor.at === text.length ? data : undefined;
}

// Each reader starts after the opening bracket and leaves the cursor after the closing
// one. `levels` counts the container levels still allowed, this one included.
function readArray(cursor: Cursor, levels: number): unknown[] | typeof DECLINE {
  const { text } = cursor;
  const items: unknown[] = [];
  if (text.charCodeAt(cursor.at) === 0x5d /* ] */) {
    cursor.at++;
    return items;
  }
  for (;;) {
    if (items.length === MAX_ITEMS) return DECLINE;
    const value = readValue(cursor, levels, items, items.length);
    if (value === DECLINE) return DECLINE;
    items.push(value);
    const next = text.charCodeAt(cursor.at++);
    if (next === 0x5d /* ] */) return items;
    if (next !== 0x2c /* , */) return DECLINE;
  }
}

function readObject(cursor: Cursor, levels: number): Record<string, unknown> | typeof DECLINE {
  const { text } = cursor;
  const object: Record<string, unknown> = {};
  if (text.charCodeAt(cursor.at) === 0x7d /* } */) {
    cursor.at++;
    return object;
  }
  let count = 0;
  for (;;) {
    if (count++ === MAX_ITEMS || text.charCodeAt(cursor.at) !== 0x22 /* " */) return DECLINE;
    const key = readKey(cursor);
    // `in` also sees inherited names: `__proto__` and `constructor` (left to the general
    // path, which refuses them), anything an assignment would not simply create (a setter
    // or a read-only property on a polluted or frozen Object.prototype), and duplicates
    // (JSON.parse keeps the first position and the last value; not emulated). In binary
    // packets, an object with a `_placeholder` key that is not an exact placeholder is
    // left to the general path's checks.
    if (key === undefined || key in object || (cursor.slots !== undefined && key === "_placeholder")) return DECLINE;
    if (text.charCodeAt(cursor.at++) !== 0x3a /* : */) return DECLINE;
    const value = readValue(cursor, levels, object, key);
    if (value === DECLINE) return DECLINE;
    object[key] = value;
    const next = text.charCodeAt(cursor.at++);
    if (next === 0x7d /* } */) return object;
    if (next !== 0x2c /* , */) return DECLINE;
  }
}

// `levels` is that of the container being read, `container[key]` where the value goes.
function readValue(
  cursor: Cursor,
  levels: number,
  container: Record<string, unknown> | unknown[],
  key: string | number,
): unknown {
  const { text } = cursor;
  const i = cursor.at;
  const code = text.charCodeAt(i);
  if (code === 0x22 /* " */) {
    const value = readString(cursor);
    return value === undefined ? DECLINE : value;
  }
  if (code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39)) {
    const end = numberEnd(text, i);
    if (end === -1) return DECLINE;
    cursor.at = end;
    return readNumber(text, i, end);
  }
  if (code === 0x7b /* { */) {
    if (cursor.slots !== undefined && text.startsWith(PLACEHOLDER_PREFIX, i)) return readPlaceholder(cursor, container, key);
    if (levels <= 1) return DECLINE;
    cursor.at = i + 1;
    return readObject(cursor, levels - 1);
  }
  if (code === 0x5b /* [ */) {
    if (levels <= 1) return DECLINE;
    cursor.at = i + 1;
    return readArray(cursor, levels - 1);
  }
  if (code === 0x74 /* t */ && text.startsWith("true", i)) {
    cursor.at = i + 4;
    return true;
  }
  if (code === 0x66 /* f */ && text.startsWith("false", i)) {
    cursor.at = i + 5;
    return false;
  }
  if (code === 0x6e /* n */ && text.startsWith("null", i)) {
    cursor.at = i + 4;
    return null;
  }
  return DECLINE;
}

// A string without escapes, the cursor on its opening quote; undefined to decline.
function readString(cursor: Cursor): string | undefined {
  const from = cursor.at + 1;
  const end = plainStringEnd(cursor.text, from);
  if (end === -1) return undefined;
  cursor.at = end + 1;
  return cursor.text.slice(from, end);
}

// Where the string starting at `from` (after its opening quote) ends, or -1 when it holds
// a backslash (an escape) or a control character (or the text ends: NaN): either way the
// general path decides.
function plainStringEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) return i;
    if (!(c >= 0x20) || c === 0x5c /* \ */) return -1;
    i++;
  }
}

// Keys seen lately, by a hash of their first two characters. Payloads of one application
// repeat the same few keys; handing out the same string each time (instead of a fresh
// slice) spares V8 looking the key up in its string table on each use, which measured
// about half the time of reading a small object. The cached key is tried first: when the
// text holds exactly its characters followed by the closing quote, it is the key (a cached
// key holds no quote, backslash or control character), found without scanning for its end.
// Shared by every decoder: it holds at most KEY_CACHE_SIZE short strings, and nothing
// runs between filling and reading it but this module's code.
const KEY_CACHE_SIZE = 64;
const MAX_CACHED_KEY_LENGTH = 32;
const keyCache: string[] = new Array<string>(KEY_CACHE_SIZE).fill("");

// A key without escapes, the cursor on its opening quote; undefined to decline.
function readKey(cursor: Cursor): string | undefined {
  const { text } = cursor;
  const from = cursor.at + 1;
  // (a one-character key hashes its closing quote as second character: still the same key)
  const slot = (text.charCodeAt(from) * 31 + text.charCodeAt(from + 1)) & (KEY_CACHE_SIZE - 1);
  const cached = keyCache[slot] as string;
  const cachedLength = cached.length;
  if (cachedLength !== 0 && text.charCodeAt(from + cachedLength) === 0x22 /* " */ && text.startsWith(cached, from)) {
    cursor.at = from + cachedLength + 1;
    return cached;
  }
  const end = plainStringEnd(text, from);
  if (end === -1) return undefined;
  cursor.at = end + 1;
  const length = end - from;
  const key = text.slice(from, end);
  if (length !== 0 && length <= MAX_CACHED_KEY_LENGTH) keyCache[slot] = key;
  return key;
}

// `{"_placeholder":true,"num":n}` exactly, the cursor on its brace: recorded as a slot of
// `container[key]`, whose value stays undefined until the attachment arrives.
function readPlaceholder(cursor: Cursor, container: Record<string, unknown> | unknown[], key: string | number): unknown {
  const { text } = cursor;
  let i = cursor.at + PLACEHOLDER_PREFIX.length;
  const from = i;
  const first = text.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) while (isDigit(text.charCodeAt(++i)));
  else return DECLINE;
  if (text.charCodeAt(i) !== 0x7d /* } */ || i - from > 9) return DECLINE;
  const num = Number(text.slice(from, i));
  if (num >= cursor.attachments) return DECLINE;
  (cursor.slots as PlaceholderSlot[]).push({ container, key, num });
  cursor.at = i + 1;
  return undefined;
}

// End of the JSON number starting at `i`: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?,
// or -1 when the text there is not one.
function numberEnd(text: string, i: number): number {
  if (text.charCodeAt(i) === 0x2d) i++;
  const first = text.charCodeAt(i);
  if (first === 0x30) i++;
  else if (first >= 0x31 && first <= 0x39) while (isDigit(text.charCodeAt(++i)));
  else return -1;
  if (text.charCodeAt(i) === 0x2e /* . */) {
    if (!isDigit(text.charCodeAt(++i))) return -1;
    while (isDigit(text.charCodeAt(++i)));
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    const sign = text.charCodeAt(++i);
    if (sign === 0x2b || sign === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return -1;
    while (isDigit(text.charCodeAt(++i)));
  }
  return i;
}

// The value of the JSON number text.slice(from, end). A plain integer of up to 15 digits
// is summed digit by digit, which is exact (below 2^53 every step is an exact integer);
// anything else goes to Number(), which reads a JSON number to the same double as
// JSON.parse.
function readNumber(text: string, from: number, end: number): number {
  const isNegative = text.charCodeAt(from) === 0x2d;
  let i = isNegative ? from + 1 : from;
  if (end - i > 15) return Number(text.slice(from, end));
  let value = 0;
  for (; i < end; i++) {
    const code = text.charCodeAt(i);
    if (!isDigit(code)) return Number(text.slice(from, end));
    value = value * 10 + (code - 0x30);
  }
  // -0 stays -0, as JSON.parse("-0") gives.
  return isNegative ? -value : value;
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}
