// Small assertions for the conformance kit, so that it runs under any test framework (or
// none): each throws a ConformanceError that says what differed and where.
import { isBinary } from "../is-binary";
import type { Packet } from "../packet";

/** Thrown by a conformance check that failed. */
export class ConformanceError extends Error {
  override name = "ConformanceError";
}

export function fail(message: string): never {
  throw new ConformanceError(message);
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) fail(message);
}

/** Binary data that can be read synchronously: anything but a Blob. */
export function isBufferSource(value: unknown): value is ArrayBuffer | ArrayBufferView {
  return value instanceof ArrayBuffer || ArrayBuffer.isView(value);
}

/** The bytes a binary value holds, whatever its type (Blobs excepted). */
export function bytesOf(value: ArrayBuffer | ArrayBufferView): Uint8Array {
  return value instanceof ArrayBuffer
    ? new Uint8Array(value)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

/**
 * Compares `actual` with `expected` structurally. Binary values are equal when they hold
 * the same bytes, whatever their types (a Uint16Array may come back as a Buffer).
 * Returns a description of the first difference, or undefined.
 */
export function difference(actual: unknown, expected: unknown, path = "$"): string | undefined {
  if (isBufferSource(expected)) {
    if (!isBufferSource(actual)) {
      return `${path}: expected binary data, got ${describe(actual)}`;
    }
    const a = bytesOf(actual);
    const e = bytesOf(expected);
    if (a.length !== e.length) return `${path}: expected ${e.length} bytes, got ${a.length}`;
    for (let i = 0; i < a.length; i++) {
      if (a[i] !== e[i]) return `${path}[byte ${i}]: expected ${e[i]}, got ${a[i]}`;
    }
    return undefined;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected an array, got ${describe(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} items, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const found = difference(actual[i], expected[i], `${path}[${i}]`);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual) || isBinary(actual)) {
      return `${path}: expected an object, got ${describe(actual)}`;
    }
    const expectedKeys = Object.keys(expected).filter((key) => (expected as Record<string, unknown>)[key] !== undefined);
    const actualKeys = Object.keys(actual).filter((key) => (actual as Record<string, unknown>)[key] !== undefined);
    for (const key of actualKeys) {
      if (!expectedKeys.includes(key)) return `${path}: unexpected key ${JSON.stringify(key)}`;
    }
    for (const key of expectedKeys) {
      const found = difference(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        `${path}.${key}`,
      );
      if (found !== undefined) return found;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path}: expected ${describe(expected)}, got ${describe(actual)}`;
}

export function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const found = difference(actual, expected);
  if (found !== undefined) fail(`${what}: ${found}`);
}

/** The part of a packet the contract covers (type, nsp, id, data), for comparisons. */
export function packetEssentials(packet: Packet): Record<string, unknown> {
  const essentials: Record<string, unknown> = { type: packet.type, nsp: packet.nsp };
  if (packet.id !== undefined) essentials["id"] = packet.id;
  if (packet.data !== undefined) essentials["data"] = packet.data;
  return essentials;
}

export function describe(value: unknown): string {
  if (isBinary(value)) return `binary ${Object.prototype.toString.call(value).slice(8, -1)}`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? value.slice(0, 60) + "…" : value);
  if (typeof value === "object" && value !== null) {
    try {
      const text = JSON.stringify(value);
      return text.length > 80 ? text.slice(0, 80) + "…" : text;
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}
