// Writing and reading the commonest payload without JSON.stringify / JSON.parse: a short
// flat array of numbers, booleans, null and strings that need no escaping, plus (binary
// packets) binary values at the top level, written as placeholders.
//
// Why: on such a payload the native calls cost mostly their fixed overhead (measured on
// Node 20: ~165 ns to stringify and ~180 ns to parse `["message","hello world",42]`; the
// loops here take ~100 ns each way), more than the work itself. Both functions here recognise only a subset whose JSON meaning is certain and
// return undefined for anything else; the caller then takes the general path from the
// start. They never decide whether input is valid: anything doubtful goes to the general
// path, which reports it as it always did.
import { isBinary } from "./is-binary";
import type { PlaceholderSlot } from "./inspect-payload";
import type { EncodedChunk } from "./packet";

/** Longest array, longest string and longest text the fast paths take on. */
const MAX_ITEMS = 16;
const MAX_STRING_LENGTH = 128;
export const MAX_FLAT_TEXT_LENGTH = 512;

/**
 * The JSON of `data` (an array), with each top-level binary value replaced by a
 * placeholder and appended to `chunks` (whose first item is kept for the text packet, so
 * placeholder n is `chunks[n + 1]`), exactly as the general path writes it; or undefined
 * when `data` is outside the subset (nested objects, strings to escape, an array with a
 * `toJSON`, …). `chunks` may have been appended to when it returns undefined.
 */
export function writeFlatArray(data: unknown[], chunks: EncodedChunk[]): string | undefined {
  const length = data.length;
  // JSON.stringify would call an array's toJSON (its own or a polluted Array.prototype's).
  if (length > MAX_ITEMS || (data as { toJSON?: unknown }).toJSON !== undefined) return undefined;
  // A first pass on the types alone, so that a payload holding an object (the usual way
  // out) costs little here before the general path runs.
  for (let i = 0; i < length; i++) {
    const value: unknown = data[i];
    const type = typeof value;
    if (type === "string" || type === "number" || type === "boolean" || value === null) continue;
    if (type !== "object" || !isBinary(value)) return undefined;
  }
  let text = "[";
  for (let i = 0; i < length; i++) {
    if (i > 0) text += ",";
    const value: unknown = data[i];
    switch (typeof value) {
      case "string":
        if (!isPlainString(value)) return undefined;
        text += '"' + value + '"';
        break;
      case "number":
        // What JSON.stringify writes for a number: ToString when finite, null otherwise.
        text += Number.isFinite(value) ? "" + value : "null";
        break;
      case "boolean":
        text += value ? "true" : "false";
        break;
      case "object":
        if (value === null) text += "null";
        // Binary values are leaves, taken before any toJSON, as in the general walk.
        else if (isBinary(value)) text += '{"_placeholder":true,"num":' + (chunks.push(value) - 2) + "}";
        else return undefined;
        break;
      default:
        // undefined, functions, symbols, BigInt: left to JSON.stringify's own rules.
        return undefined;
    }
  }
  return text + "]";
}

// A string JSON.stringify writes as itself between quotes: no quote, backslash or control
// character, and no surrogate (a lone one would be escaped; paired ones are left to the
// general path rather than told apart here).
function isPlainString(value: string): boolean {
  if (value.length > MAX_STRING_LENGTH) return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c || (code >= 0xd800 && code <= 0xdfff)) return false;
  }
  return true;
}

const PLACEHOLDER_PREFIX = '{"_placeholder":true,"num":';

/**
 * The array that `text.slice(start)` holds, when it is a flat array in the subset
 * (strings without escapes, JSON numbers, true, false, null, no whitespace) and nothing
 * follows it; undefined otherwise. With `slots` (binary packets), a top-level item written
 * exactly as `{"_placeholder":true,"num":n}` with `0 <= n < attachments` is recorded as a
 * slot (and left undefined in the array until its attachment arrives); any other object
 * gives undefined. `slots` may have been appended to when it returns undefined: the
 * caller clears it.
 */
export function readFlatArray(
  text: string,
  start: number,
  slots: PlaceholderSlot[] | undefined,
  attachments: number,
): unknown[] | undefined {
  const length = text.length;
  if (text.charCodeAt(start) !== 0x5b /* [ */) return undefined;
  // A payload ending with an object or an array (the usual way out: `["chat",{…}]`) is
  // turned away before anything is read or allocated; other nested items are found item
  // by item. In binary packets the last item may be a placeholder: those are read.
  const beforeLast = text.charCodeAt(length - 2);
  if (slots === undefined && (beforeLast === 0x7d /* } */ || beforeLast === 0x5d) /* ] */) return undefined;
  const items: unknown[] = [];
  let i = start + 1;
  if (text.charCodeAt(i) === 0x5d /* ] */) return i + 1 === length ? items : undefined;
  for (;;) {
    const code = text.charCodeAt(i);
    if (code === 0x22 /* " */) {
      const from = ++i;
      for (;;) {
        const c = text.charCodeAt(i);
        if (c === 0x22) break;
        // A backslash starts an escape; a control character (or NaN: the end of the
        // text) makes the JSON invalid. Either way the general path decides. (Testing the
        // whole text once with indexOf or a regular expression measured slower.)
        if (!(c >= 0x20) || c === 0x5c) return undefined;
        i++;
      }
      items.push(text.slice(from, i));
      i++;
    } else if (code === 0x2d /* - */ || (code >= 0x30 && code <= 0x39)) {
      const end = numberEnd(text, i);
      if (end === -1) return undefined;
      items.push(readNumber(text, i, end));
      i = end;
    } else if (code === 0x74 /* t */ && text.startsWith("true", i)) {
      items.push(true);
      i += 4;
    } else if (code === 0x66 /* f */ && text.startsWith("false", i)) {
      items.push(false);
      i += 5;
    } else if (code === 0x6e /* n */ && text.startsWith("null", i)) {
      items.push(null);
      i += 4;
    } else if (code === 0x7b /* { */ && slots !== undefined && text.startsWith(PLACEHOLDER_PREFIX, i)) {
      i += PLACEHOLDER_PREFIX.length;
      const from = i;
      const first = text.charCodeAt(i);
      if (first === 0x30) i++;
      else if (first >= 0x31 && first <= 0x39) while (isDigit(text.charCodeAt(++i)));
      else return undefined;
      if (text.charCodeAt(i) !== 0x7d /* } */ || i - from > 9) return undefined;
      const num = Number(text.slice(from, i));
      if (num >= attachments) return undefined;
      slots.push({ container: items, key: items.length, num });
      items.push(undefined);
      i++;
    } else {
      return undefined;
    }
    const next = text.charCodeAt(i);
    if (next === 0x2c /* , */) {
      i++;
    } else if (next === 0x5d /* ] */) {
      return i + 1 === length ? items : undefined;
    } else {
      return undefined;
    }
  }
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
