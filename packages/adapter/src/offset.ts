import { randomBytes } from "node:crypto";
import type { Offset } from "./types";

/**
 * A generator of offsets for the recovery buffer: a random prefix per adapter instance (so
 * that the offsets of two nodes never collide) and a counter. Per instance, never global.
 */
export function createOffsetGenerator(): () => Offset {
  const prefix = randomBytes(6).toString("base64url");
  let counter = 0;
  return () => `${prefix}-${(counter++).toString(36)}`;
}

/**
 * The counter of an offset made by {@link createOffsetGenerator} (what follows its last
 * "-", in base 36), or undefined for an offset of another shape (a transport's).
 */
export function offsetCounter(offset: Offset): number | undefined {
  const dash = offset.lastIndexOf("-");
  const digits = offset.slice(dash + 1);
  if (dash < 0 || !/^[0-9a-z]{1,10}$/.test(digits)) return undefined;
  return parseInt(digits, 36);
}

/** A random id for cluster nodes and requests. */
export function randomId(): string {
  return randomBytes(8).toString("hex");
}
