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

/** A random id for cluster nodes and requests. */
export function randomId(): string {
  return randomBytes(8).toString("hex");
}
